//! Logging set-up: JSON lines for CloudWatch, honouring Lambda's own log level and format settings.

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
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        // Lambda adds its own timestamp and request id to every line; the span fields carry the rest.
        Format::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .without_time()
            .try_init(),
        Format::Text => builder.compact().try_init(),
    };
}

/// Lambda names levels in capitals and has FATAL, which tracing does not.
fn lambda_level(level: &str) -> String {
    match level.to_ascii_lowercase().as_str() {
        "fatal" => "error".to_owned(),
        other => other.to_owned(),
    }
}
