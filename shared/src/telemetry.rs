//! Logging set-up: JSON lines for CloudWatch, honouring Lambda's own log level and format settings.

use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::EnvFilter;

/// Which log line shape to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line (Lambda, CloudWatch Logs Insights).
    Json,
    /// Human-readable lines (the local stack in a terminal).
    Text,
}

/// Installs the global subscriber once; later calls are no-ops (tests call it freely).
///
/// Level: `AWS_LAMBDA_LOG_LEVEL` (set by Lambda's advanced logging controls), else `RUST_LOG`,
/// else `info`. Format: `AWS_LAMBDA_LOG_FORMAT=Text` or `TIPLINE_LOG_FORMAT=text` gives text.
pub fn init(default_format: Format) {
    let filter = std::env::var("AWS_LAMBDA_LOG_LEVEL")
        .ok()
        .map(|level| EnvFilter::new(lambda_level(&level)))
        .or_else(|| EnvFilter::try_from_default_env().ok())
        .unwrap_or_else(|| EnvFilter::new("info"));
    let format = match (
        std::env::var("AWS_LAMBDA_LOG_FORMAT").ok(),
        std::env::var("TIPLINE_LOG_FORMAT").ok(),
    ) {
        (Some(f), _) if f.eq_ignore_ascii_case("text") => Format::Text,
        (Some(f), _) if f.eq_ignore_ascii_case("json") => Format::Json,
        (_, Some(f)) if f.eq_ignore_ascii_case("text") => Format::Text,
        (_, Some(f)) if f.eq_ignore_ascii_case("json") => Format::Json,
        _ => default_format,
    };
    // A second call finds a subscriber installed and leaves it: tests call `init` freely.
    let _ = match format {
        Format::Json => json_subscriber(filter, std::io::stderr).try_init().is_ok(),
        Format::Text => tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .compact()
            .try_init()
            .is_ok(),
    };
}

/// The JSON line shape. Lambda adds its own timestamp, but not the request id, to what a
/// custom runtime writes: the span list carries the runtime's "Lambda runtime invoke" span and
/// its `requestId` (and `xrayTraceId`) on every line, so on-call can search by request id.
fn json_subscriber<W>(filter: EnvFilter, writer: W) -> impl tracing::Subscriber + Send + Sync
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .json()
        .flatten_event(true)
        .with_current_span(true)
        .with_span_list(true)
        .without_time()
        .finish()
}

/// Lambda names levels in capitals and has FATAL, which tracing does not.
fn lambda_level(level: &str) -> String {
    match level.to_ascii_lowercase().as_str() {
        "fatal" => "error".to_owned(),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("capture").extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn every_line_in_an_invocation_carries_the_request_id() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = json_subscriber(EnvFilter::new("info"), move || writer.clone());
        tracing::subscriber::with_default(subscriber, || {
            // The span lambda_runtime opens around each invocation, with its field names.
            let invoke = tracing::info_span!("Lambda runtime invoke", requestId = "req-42", xrayTraceId = "Root=1-x");
            let _invoke = invoke.enter();
            let record = tracing::info_span!("record", message_id = "m-1");
            let _record = record.enter();
            tracing::warn!("inside a unit of work");
        });
        let out = String::from_utf8(captured.0.lock().expect("capture").clone()).expect("utf-8");
        let line: serde_json::Value = serde_json::from_str(out.trim()).expect("one JSON line");
        assert_eq!(line["message"], "inside a unit of work", "{out}");
        assert_eq!(line["span"]["message_id"], "m-1", "{out}");
        assert_eq!(line["spans"][0]["requestId"], "req-42", "{out}");
    }
}
