//! The offline analyser's fixed sentences in Spanish, Portuguese, French, German and
//! Indonesian: the reasons of the commonest rules, every piece of advice and the verdict's
//! own sentences. A reason missing here stays in English rather than being guessed at.

use super::signal::Advice;
use crate::analysis::language::Lang;

/// One sentence in es, pt, fr, de, id (English lives beside the rule).
type Five = [&'static str; 5];

/// The reason of the rule `rule` in `lang`, if it has been translated.
pub(super) fn reason(rule: &str, lang: Lang) -> Option<&'static str> {
    let five: Five = match rule {
        "urgency" => [
            "Te presiona para actuar rápido, para que no te pares a comprobarlo.",
            "Pressiona você a agir rápido, para que não pare para verificar.",
            "Il vous pousse à agir vite, pour que vous ne preniez pas le temps de vérifier.",
            "Es drängt Sie zu schnellem Handeln, damit Sie nicht nachprüfen.",
            "Pesan ini mendesak Anda bertindak cepat agar Anda tidak sempat memeriksa.",
        ],
        "account_threat" => [
            "Dice que tu cuenta o servicio está bloqueado, cortado o en mal uso, para que actúes sin pensar.",
            "Diz que sua conta ou serviço está bloqueado, cortado ou com uso indevido, para você agir sem pensar.",
            "Il prétend que votre compte ou service est bloqué, coupé ou piraté, pour vous faire agir sans réfléchir.",
            "Es behauptet, Ihr Konto oder Dienst sei gesperrt oder missbraucht, damit Sie handeln, ohne nachzudenken.",
            "Pesan ini mengatakan akun atau layanan Anda diblokir atau disalahgunakan agar Anda bertindak tanpa berpikir.",
        ],
        "details_request" => [
            "Te pide confirmar datos personales, de acceso o de pago, algo que las empresas reales no piden por mensaje.",
            "Pede para confirmar dados pessoais, de acesso ou de pagamento, o que empresas de verdade não pedem por mensagem.",
            "Il demande de confirmer des données personnelles, de connexion ou de paiement, ce que les vraies entreprises ne font pas par message.",
            "Es verlangt persönliche, Login- oder Zahlungsdaten, die echte Firmen nie per Nachricht abfragen.",
            "Pesan ini meminta data pribadi, login, atau pembayaran, yang tidak pernah diminta perusahaan asli lewat pesan.",
        ],
        "payment_request" => [
            "Te pide pagar o transferir dinero.",
            "Pede para você pagar ou transferir dinheiro.",
            "Il vous demande de payer ou de virer de l'argent.",
            "Es fordert Sie auf, Geld zu zahlen oder zu überweisen.",
            "Pesan ini meminta Anda membayar atau mentransfer uang.",
        ],
        "click_link" => [
            "Te empuja a pulsar un enlace.",
            "Insiste para você clicar em um link.",
            "Il vous pousse à cliquer sur un lien.",
            "Es drängt Sie, auf einen Link zu klicken.",
            "Pesan ini mendorong Anda mengeklik tautan.",
        ],
        "secret_request" => [
            "Te pide compartir un código, PIN o contraseña; nadie legítimo los necesita.",
            "Pede para compartilhar um código, PIN ou senha; ninguém legítimo precisa disso.",
            "Il demande un code, un PIN ou un mot de passe ; personne d'honnête n'en a besoin.",
            "Es verlangt einen Code, eine PIN oder ein Passwort; niemand Seriöses braucht das von Ihnen.",
            "Pesan ini meminta kode, PIN, atau kata sandi; pihak resmi tidak pernah membutuhkannya.",
        ],
        "prize" => [
            "Dice que has ganado o has sido elegido para un premio en el que nunca participaste.",
            "Diz que você ganhou ou foi escolhido para um prêmio do qual nunca participou.",
            "Il prétend que vous avez gagné un prix auquel vous n'avez jamais participé.",
            "Es behauptet, Sie hätten einen Preis gewonnen, an dessen Verlosung Sie nie teilgenommen haben.",
            "Pesan ini mengatakan Anda memenangkan hadiah dari undian yang tidak pernah Anda ikuti.",
        ],
        "courier_fee" => [
            "Dice que un paquete está retenido hasta que pagues una tasa o confirmes datos; las empresas de mensajería no lo piden así.",
            "Diz que uma encomenda está retida até você pagar uma taxa ou confirmar dados; transportadoras não pedem isso por mensagem.",
            "Il dit qu'un colis est bloqué jusqu'au paiement de frais ; les transporteurs ne demandent pas cela par message.",
            "Es behauptet, ein Paket werde bis zur Zahlung einer Gebühr festgehalten; Paketdienste verlangen das nicht per Nachricht.",
            "Pesan ini mengatakan paket ditahan sampai Anda membayar biaya; jasa kurir tidak meminta itu lewat pesan.",
        ],
        "family_new_number" => [
            "Dice ser un familiar que escribe desde un número nuevo, el inicio de la conocida estafa \"Hola mamá\".",
            "Diz ser um familiar escrevendo de um número novo, o começo do conhecido golpe \"Oi mãe\".",
            "Il prétend venir d'un proche avec un nouveau numéro, le début de l'arnaque « Coucou maman ».",
            "Es gibt sich als Familienmitglied mit neuer Nummer aus, der Anfang des bekannten \"Hallo Mama\"-Betrugs.",
            "Pesan ini mengaku dari anggota keluarga dengan nomor baru, awal dari penipuan \"Halo Ma\".",
        ],
        "contact_new_number" => [
            "Dice ser alguien que conoces con un número nuevo y te pide dinero o un favor.",
            "Diz ser alguém que você conhece com número novo e pede dinheiro ou um favor.",
            "Il prétend être une connaissance avec un nouveau numéro et demande de l'argent ou un service.",
            "Es gibt sich als Bekannter mit neuer Nummer aus und bittet um Geld oder einen Gefallen.",
            "Pesan ini mengaku dari kenalan dengan nomor baru dan meminta uang atau bantuan.",
        ],
        "job_easy_money" => [
            "Ofrece dinero fácil por tareas simples o trabajo desde casa, una estafa que acaba con que tú pagues.",
            "Oferece dinheiro fácil por tarefas simples ou trabalho em casa, um golpe que termina com você pagando.",
            "Il promet de l'argent facile pour des tâches simples, une arnaque où c'est vous qui finissez par payer.",
            "Es verspricht leichtes Geld für einfache Aufgaben, ein Job-Betrug, bei dem am Ende Sie zahlen.",
            "Pesan ini menawarkan uang mudah untuk tugas sederhana, penipuan kerja yang berakhir Anda yang membayar.",
        ],
        "investment_promise" => [
            "Promete ganancias garantizadas o sin riesgo; ninguna inversión real puede.",
            "Promete lucro garantido ou sem risco; nenhum investimento real pode.",
            "Il promet des gains garantis ou sans risque ; aucun vrai placement ne le peut.",
            "Es verspricht garantierte oder risikofreie Gewinne; keine echte Geldanlage kann das.",
            "Pesan ini menjanjikan keuntungan pasti tanpa risiko; investasi sungguhan tidak bisa begitu.",
        ],
        "gift_cards" => [
            "Pide pagar con tarjetas regalo, algo que ninguna empresa ni jefe real hace.",
            "Pede pagamento com cartões-presente, o que nenhuma empresa ou chefe de verdade faz.",
            "Il demande de payer en cartes cadeaux, ce que ne font ni les entreprises ni les patrons.",
            "Es verlangt Zahlung mit Geschenkkarten, was echte Firmen und Chefs nie tun.",
            "Pesan ini meminta pembayaran dengan kartu hadiah, hal yang tidak pernah dilakukan perusahaan asli.",
        ],
        "bank_impersonation" => [
            "Dice ser tu banco y te presiona sobre tu cuenta.",
            "Diz ser seu banco e pressiona você sobre sua conta.",
            "Il se fait passer pour votre banque et fait pression sur votre compte.",
            "Es gibt sich als Ihre Bank aus und setzt Sie wegen Ihres Kontos unter Druck.",
            "Pesan ini mengaku dari bank Anda dan menekan Anda soal rekening.",
        ],
        "legal_threat" => [
            "Amenaza con detención o acciones legales para asustarte y que actúes rápido.",
            "Ameaça com prisão ou ação judicial para assustar você e fazer agir rápido.",
            "Il menace d'arrestation ou de poursuites pour vous faire peur.",
            "Es droht mit Festnahme oder rechtlichen Schritten, um Sie zu erschrecken.",
            "Pesan ini mengancam penangkapan atau tuntutan hukum agar Anda takut.",
        ],
        "fee_to_receive" => [
            "Pide una tasa antes de recibir dinero o un premio; los pagos reales no cobran por adelantado.",
            "Pede uma taxa antes de você receber dinheiro ou prêmio; pagamentos reais não cobram antes.",
            "Il demande des frais avant de recevoir de l'argent ou un prix ; les vrais versements ne font pas payer d'avance.",
            "Es verlangt eine Gebühr, bevor Sie Geld oder einen Preis erhalten; echte Auszahlungen kosten nichts vorab.",
            "Pesan ini meminta biaya sebelum Anda menerima uang atau hadiah; pembayaran asli tidak memungut biaya di muka.",
        ],
        "generic_greeting" => [
            "Te saluda como \"estimado cliente\" en vez de por tu nombre.",
            "Cumprimenta como \"prezado cliente\" em vez de usar seu nome.",
            "Il vous appelle « cher client » au lieu de votre nom.",
            "Es spricht Sie mit \"lieber Kunde\" statt mit Ihrem Namen an.",
            "Pesan ini menyapa \"pelanggan yang terhormat\", bukan nama Anda.",
        ],
        "short_code" => [
            "Te pide enviar un SMS a un número corto, que puede suscribirte a mensajes de pago.",
            "Pede para mandar SMS a um número curto, que pode assinar mensagens pagas.",
            "Il demande d'envoyer un SMS à un numéro court, qui peut vous abonner à des messages payants.",
            "Es fordert eine SMS an eine Kurzwahl, die Sie für kostenpflichtige Nachrichten anmelden kann.",
            "Pesan ini meminta Anda mengirim SMS ke nomor pendek yang bisa berlangganan layanan berbayar.",
        ],
        "crypto_payment" => [
            "Te pide enviar o invertir criptomonedas, que no se pueden rastrear ni recuperar.",
            "Pede para enviar ou investir criptomoedas, que não podem ser rastreadas nem recuperadas.",
            "Il demande d'envoyer ou d'investir des cryptomonnaies, introuvables et irrécupérables.",
            "Es verlangt, Kryptowährung zu senden oder anzulegen, die weder nachverfolgbar noch rückholbar ist.",
            "Pesan ini meminta Anda mengirim atau berinvestasi kripto, yang tidak bisa dilacak atau dikembalikan.",
        ],
        "frequently_forwarded" => [
            "WhatsApp lo marca como reenviado muchas veces; las cadenas así suelen llevar estafas y bulos.",
            "O WhatsApp marca como encaminhada com frequência; correntes assim costumam trazer golpes e boatos.",
            "WhatsApp le marque comme transféré de nombreuses fois ; ces chaînes propagent souvent arnaques et rumeurs.",
            "WhatsApp markiert es als häufig weitergeleitet; solche Kettenbriefe verbreiten oft Betrug und Falschmeldungen.",
            "WhatsApp menandainya sering diteruskan; pesan berantai seperti ini sering membawa penipuan dan hoaks.",
        ],
        "forwarded" => [
            "WhatsApp lo marca como reenviado: quien te lo mandó no lo escribió.",
            "O WhatsApp marca como encaminhada: quem mandou para você não escreveu.",
            "WhatsApp le marque comme transféré : la personne qui vous l'a envoyé ne l'a pas écrit.",
            "WhatsApp markiert es als weitergeleitet: wer es Ihnen schickte, hat es nicht geschrieben.",
            "WhatsApp menandainya diteruskan: pengirimnya bukan yang menulis pesan ini.",
        ],
        _ => return None,
    };
    translated(five, lang)
}

/// The reason of the link rule `rule` in `lang`, if translated, with its `{slot}`s filled from
/// `facts` (the host, domain, brand or word the English sentence names too).
pub(super) fn link_reason(rule: &str, lang: Lang, facts: &[(&str, &str)]) -> Option<String> {
    let five: Five = match rule {
        "ip_address_link" => [
            "El enlace lleva a una dirección numérica ({host}) en vez de a una web con nombre.",
            "O link leva a um endereço numérico ({host}) em vez de um site com nome.",
            "Le lien mène à une adresse numérique ({host}) au lieu d'un site nommé.",
            "Der Link führt zu einer reinen Zahlenadresse ({host}) statt zu einer benannten Website.",
            "Tautan ini menuju alamat berupa angka ({host}), bukan situs web bernama.",
        ],
        "free_hosting" => [
            "El enlace está en {suffix}, un servicio gratuito de alojamiento donde cualquiera puede crear una página; no es la web de una empresa.",
            "O link está em {suffix}, um serviço gratuito de hospedagem onde qualquer pessoa cria uma página; não é o site de uma empresa.",
            "Le lien est sur {suffix}, un hébergement gratuit où n'importe qui peut créer une page, pas le site d'une entreprise.",
            "Der Link liegt auf {suffix}, einem kostenlosen Hosting-Dienst, auf dem jeder eine Seite anlegen kann, nicht auf der Website einer Firma.",
            "Tautan ini ada di {suffix}, layanan hosting gratis tempat siapa pun bisa membuat halaman, bukan situs resmi perusahaan.",
        ],
        "disguised_domain" => [
            "La dirección del enlace ({host}) usa letras extranjeras parecidas que pueden imitar una web real.",
            "O endereço do link ({host}) usa letras estrangeiras parecidas que podem imitar um site real.",
            "L'adresse du lien ({host}) utilise des lettres étrangères ressemblantes qui peuvent imiter un vrai site.",
            "Die Adresse des Links ({host}) nutzt ähnlich aussehende fremde Buchstaben, die eine echte Website nachahmen können.",
            "Alamat tautan ({host}) memakai huruf asing yang mirip untuk meniru situs asli.",
        ],
        "hidden_destination" => [
            "El enlace oculta adónde lleva de verdad ({host}) tras un texto antes de una @.",
            "O link esconde para onde leva de verdade ({host}) atrás de um texto antes de um @.",
            "Le lien cache sa vraie destination ({host}) derrière du texte placé avant un @.",
            "Der Link verbirgt sein wahres Ziel ({host}) hinter Text vor einem @-Zeichen.",
            "Tautan ini menyembunyikan tujuan sebenarnya ({host}) di balik teks sebelum tanda @.",
        ],
        "shortened_link" => [
            "El enlace está acortado ({host}), lo que oculta adónde lleva de verdad.",
            "O link está encurtado ({host}), o que esconde para onde ele leva de verdade.",
            "Le lien est raccourci ({host}), ce qui cache sa vraie destination.",
            "Der Link ist gekürzt ({host}) und verbirgt so, wohin er wirklich führt.",
            "Tautan ini dipendekkan ({host}) sehingga tujuan sebenarnya tersembunyi.",
        ],
        "fake_government_site" => [
            "El enlace parece de una web del gobierno, pero {registrable} no es una dirección oficial.",
            "O link parece de um site do governo, mas {registrable} não é um endereço oficial.",
            "Le lien ressemble à un site gouvernemental, mais {registrable} n'est pas une adresse officielle.",
            "Der Link sieht nach einer Behörden-Website aus, aber {registrable} ist keine offizielle Adresse.",
            "Tautan ini tampak seperti situs pemerintah, tetapi {registrable} bukan alamat resmi.",
        ],
        "cheap_domain_ending" => [
            "La dirección del enlace termina en .{tld}, una terminación barata y poco vigilada que prefieren los estafadores.",
            "O endereço do link termina em .{tld}, uma terminação barata e pouco fiscalizada que golpistas preferem.",
            "L'adresse du lien se termine par .{tld}, une extension bon marché et peu contrôlée que les escrocs préfèrent.",
            "Die Adresse des Links endet auf .{tld}, eine billige, kaum geprüfte Endung, die Betrüger bevorzugen.",
            "Alamat tautan berakhiran .{tld}, akhiran murah dan jarang diperiksa yang disukai penipu.",
        ],
        "hyphenated_domain" => [
            "La dirección del enlace ({registrable}) es un nombre largo con guiones, una forma habitual de parecer oficial.",
            "O endereço do link ({registrable}) é um nome longo com hifens, um jeito comum de parecer oficial.",
            "L'adresse du lien ({registrable}) est un long nom à tirets, une façon courante de paraître officiel.",
            "Die Adresse des Links ({registrable}) ist ein langer Name mit Bindestrichen, ein üblicher Trick, offiziell zu wirken.",
            "Alamat tautan ({registrable}) adalah nama panjang bertanda hubung, cara umum agar tampak resmi.",
        ],
        "bait_word_domain" => [
            "La dirección del enlace ({registrable}) usa la palabra \"{word}\" para pasar por un servicio oficial.",
            "O endereço do link ({registrable}) usa a palavra \"{word}\" para se passar por um serviço oficial.",
            "L'adresse du lien ({registrable}) utilise le mot « {word} » pour se faire passer pour un service officiel.",
            "Die Adresse des Links ({registrable}) nutzt das Wort \"{word}\", um als offizieller Dienst durchzugehen.",
            "Alamat tautan ({registrable}) memakai kata \"{word}\" agar tampak seperti layanan resmi.",
        ],
        "deceptive_address" => [
            "El enlace empieza como una dirección conocida ({host}), pero en realidad lleva a {registrable}.",
            "O link começa como um endereço conhecido ({host}), mas na verdade leva a {registrable}.",
            "Le lien commence comme une adresse connue ({host}) mais mène en réalité à {registrable}.",
            "Der Link beginnt wie eine bekannte Adresse ({host}), führt aber in Wahrheit zu {registrable}.",
            "Tautan ini tampak seperti alamat yang dikenal ({host}), tetapi sebenarnya menuju {registrable}.",
        ],
        "lookalike_domain" => [
            "La dirección del enlace ({registrable}) imita a {name} cambiando letras, pero no es la web de {name}.",
            "O endereço do link ({registrable}) imita {name} trocando letras, mas não é o site de {name}.",
            "L'adresse du lien ({registrable}) imite {name} en changeant des lettres, mais ce n'est pas le site de {name}.",
            "Die Adresse des Links ({registrable}) ahmt {name} mit vertauschten Buchstaben nach, ist aber nicht die Website von {name}.",
            "Alamat tautan ({registrable}) meniru {name} dengan huruf yang ditukar, tetapi bukan situs {name}.",
        ],
        "brand_in_foreign_domain" => [
            "El enlace usa el nombre {name}, pero {registrable} no es la web real de {name}.",
            "O link usa o nome {name}, mas {registrable} não é o site real de {name}.",
            "Le lien utilise le nom {name}, mais {registrable} n'est pas le vrai site de {name}.",
            "Der Link nutzt den Namen {name}, aber {registrable} ist nicht die echte Website von {name}.",
            "Tautan ini memakai nama {name}, tetapi {registrable} bukan situs asli {name}.",
        ],
        _ => return None,
    };
    let template = translated(five, lang)?;
    Some(facts.iter().fold(template.to_owned(), |text, (slot, value)| {
        text.replace(&format!("{{{slot}}}"), value)
    }))
}

/// The advice in `lang`, if it is not English.
pub(super) fn advice(advice: Advice, lang: Lang) -> Option<&'static str> {
    let five: Five = match advice {
        Advice::Link => [
            "No pulses el enlace; si crees que puede ser real, abre la app oficial o escribe tú mismo la web.",
            "Não clique no link; se achar que pode ser real, abra o app oficial ou digite o site você mesmo.",
            "Ne cliquez pas ; si cela vous semble réel, ouvrez l'application officielle ou tapez l'adresse vous-même.",
            "Klicken Sie nicht; wenn es echt sein könnte, öffnen Sie die offizielle App oder tippen Sie die Adresse selbst ein.",
            "Jangan klik tautannya; jika mungkin asli, buka aplikasi resmi atau ketik sendiri alamat situsnya.",
        ],
        Advice::Bank => [
            "No pulses ni respondas; llama a tu banco al número que aparece en tu tarjeta.",
            "Não clique nem responda; ligue para o banco no número do verso do seu cartão.",
            "Ne cliquez pas et ne répondez pas ; appelez votre banque au numéro au dos de votre carte.",
            "Nicht klicken, nicht antworten; rufen Sie Ihre Bank unter der Nummer auf Ihrer Karte an.",
            "Jangan klik atau membalas; hubungi bank Anda di nomor yang tertera di kartu.",
        ],
        Advice::Courier => [
            "No pagues ni pulses; sigue el paquete solo en la web o app oficial con el número de la tienda.",
            "Não pague nem clique; rastreie só no site ou app oficial com o código da loja.",
            "Ne payez pas ; suivez le colis uniquement sur le site officiel avec le numéro donné par la boutique.",
            "Nicht zahlen, nicht klicken; verfolgen Sie das Paket nur auf der offiziellen Seite mit der Nummer vom Shop.",
            "Jangan bayar atau klik; lacak paket hanya di situs atau aplikasi resmi kurir.",
        ],
        Advice::Code => [
            "Nunca compartas un código, PIN o contraseña con nadie, aunque diga ser tu banco o un amigo.",
            "Nunca compartilhe código, PIN ou senha com ninguém, mesmo que diga ser seu banco ou um amigo.",
            "Ne partagez jamais un code, un PIN ou un mot de passe, même avec votre « banque » ou un ami.",
            "Geben Sie nie einen Code, eine PIN oder ein Passwort weiter, auch nicht an Ihre \"Bank\" oder Freunde.",
            "Jangan pernah membagikan kode, PIN, atau kata sandi kepada siapa pun, termasuk yang mengaku bank atau teman.",
        ],
        Advice::GiftCard => [
            "No compres las tarjetas; llama a esa persona a un número que ya tengas.",
            "Não compre os cartões; ligue para a pessoa num número que você já tem.",
            "N'achetez pas les cartes ; appelez la personne à un numéro que vous connaissez.",
            "Kaufen Sie keine Karten; rufen Sie die Person unter einer Ihnen bekannten Nummer an.",
            "Jangan beli kartunya; hubungi orang itu di nomor yang sudah Anda miliki.",
        ],
        Advice::Family => [
            "Llama a tu familiar al número que ya tienes, o pregúntale algo que solo él sepa, antes de enviar nada.",
            "Ligue para o familiar no número que você já tem, ou pergunte algo que só ele saiba, antes de enviar algo.",
            "Appelez votre proche à son ancien numéro, ou posez une question que lui seul connaît, avant d'envoyer quoi que ce soit.",
            "Rufen Sie Ihr Familienmitglied unter der bekannten Nummer an, bevor Sie etwas schicken.",
            "Telepon anggota keluarga Anda di nomor lama, atau tanyakan hal yang hanya dia tahu, sebelum mengirim apa pun.",
        ],
        Advice::Job => [
            "No pagues ni des tus datos; los empleos reales nunca piden que pagues o recargues para ganar.",
            "Não pague nem passe seus dados; empregos reais nunca pedem pagamento ou recarga para ganhar.",
            "Ne payez rien ; un vrai employeur ne demande jamais de payer pour gagner de l'argent.",
            "Zahlen Sie nichts; echte Arbeitgeber verlangen nie Geld, damit Sie verdienen.",
            "Jangan membayar atau memberi data; pekerjaan asli tidak pernah meminta Anda membayar atau isi saldo.",
        ],
        Advice::Investment => [
            "No envíes dinero ni criptomonedas; consulta antes al regulador financiero.",
            "Não envie dinheiro nem cripto; consulte antes o regulador financeiro.",
            "N'envoyez ni argent ni crypto ; vérifiez d'abord auprès du régulateur financier.",
            "Senden Sie weder Geld noch Krypto; prüfen Sie die Firma bei der Finanzaufsicht.",
            "Jangan kirim uang atau kripto; periksa dulu perusahaannya di OJK atau regulator keuangan.",
        ],
        Advice::Prize => [
            "No pagues ninguna tasa ni des tus datos; no se gana un premio en el que no participaste.",
            "Não pague taxa nem passe seus dados; ninguém ganha prêmio sem ter participado.",
            "Ne payez aucuns frais ; on ne gagne pas un prix sans avoir participé.",
            "Zahlen Sie keine Gebühr; niemand gewinnt einen Preis, ohne teilgenommen zu haben.",
            "Jangan bayar biaya atau memberi data; Anda tidak bisa menang undian yang tidak Anda ikuti.",
        ],
        Advice::Government => [
            "No pagues ni pulses; contacta con el organismo por su web o teléfono oficial.",
            "Não pague nem clique; fale com o órgão pelo site ou telefone oficial.",
            "Ne payez pas ; contactez l'administration par son site ou numéro officiel.",
            "Nicht zahlen, nicht klicken; kontaktieren Sie die Behörde über ihre offizielle Seite.",
            "Jangan bayar atau klik; hubungi instansi lewat situs atau nomor resminya.",
        ],
        Advice::Stranger => [
            "No envíes dinero a alguien que no conoces en persona, por convincente que sea la historia.",
            "Não envie dinheiro para quem você não conhece pessoalmente, por mais convincente que seja.",
            "N'envoyez pas d'argent à quelqu'un que vous n'avez jamais rencontré.",
            "Schicken Sie kein Geld an jemanden, den Sie nie persönlich getroffen haben.",
            "Jangan kirim uang kepada orang yang belum pernah Anda temui langsung.",
        ],
        Advice::TechSupport => [
            "No llames al número ni dejes que nadie se conecte a tu ordenador o móvil.",
            "Não ligue para o número nem deixe ninguém acessar seu computador ou celular.",
            "N'appelez pas ce numéro et ne laissez personne prendre la main sur votre appareil.",
            "Rufen Sie nicht an und lassen Sie niemanden per Fernzugriff auf Ihr Gerät.",
            "Jangan telepon nomornya atau izinkan siapa pun mengakses perangkat Anda dari jauh.",
        ],
        Advice::Shopping => [
            "No compres a través de este mensaje; mira la oferta en la web oficial de la tienda.",
            "Não compre por esta mensagem; confira a oferta no site oficial da loja.",
            "N'achetez pas via ce message ; vérifiez l'offre sur le site officiel.",
            "Kaufen Sie nicht über diese Nachricht; prüfen Sie das Angebot im offiziellen Shop.",
            "Jangan membeli lewat pesan ini; cek penawarannya di situs resmi toko.",
        ],
        Advice::Account => [
            "No respondas ni pulses; contacta con la empresa por su app o web oficial.",
            "Não responda nem clique; fale com a empresa pelo app ou site oficial.",
            "Ne répondez pas ; contactez l'entreprise via son application ou site officiel.",
            "Nicht antworten, nicht klicken; kontaktieren Sie die Firma über ihre offizielle App.",
            "Jangan membalas atau klik; hubungi perusahaan lewat aplikasi atau situs resminya.",
        ],
        Advice::Chain => [
            "Comprueba la noticia con una fuente oficial antes de creerla o reenviarla.",
            "Confira com uma fonte oficial antes de acreditar ou encaminhar.",
            "Vérifiez auprès d'une source officielle avant d'y croire ou de transférer.",
            "Prüfen Sie es bei einer offiziellen Quelle, bevor Sie es glauben oder weiterleiten.",
            "Periksa ke sumber resmi sebelum memercayai atau meneruskannya.",
        ],
        Advice::Loan => [
            "No pagues nada por adelantado; los prestamistas reales nunca cobran antes de prestar.",
            "Não pague nada adiantado; credores reais nunca cobram antes de liberar o empréstimo.",
            "Ne payez rien d'avance ; un vrai prêteur ne fait jamais payer avant le prêt.",
            "Zahlen Sie nichts vorab; echte Kreditgeber verlangen vor der Auszahlung kein Geld.",
            "Jangan bayar biaya di muka; pemberi pinjaman asli tidak memungut biaya sebelum pencairan.",
        ],
        Advice::Distress => [
            "No envíes dinero por un mensaje; llama a la persona a un número que ya tengas.",
            "Não envie dinheiro por mensagem; ligue para a pessoa num número que você já tem.",
            "N'envoyez pas d'argent sur la foi d'un message ; appelez la personne à un numéro connu.",
            "Schicken Sie kein Geld auf eine Nachricht hin; rufen Sie die Person unter bekannter Nummer an.",
            "Jangan kirim uang hanya karena pesan; telepon orangnya di nomor yang sudah Anda miliki.",
        ],
        Advice::Refund => [
            "No devuelvas nada; revisa tu propio banco, porque ese dinero \"enviado\" suele ser falso o robado.",
            "Não devolva nada; confira seu próprio banco, porque o dinheiro \"enviado\" costuma ser falso ou roubado.",
            "Ne renvoyez rien ; vérifiez votre propre banque, l'argent « envoyé » est souvent faux ou volé.",
            "Schicken Sie nichts zurück; prüfen Sie Ihre eigene Bank, das \"gesendete\" Geld ist meist gefälscht.",
            "Jangan kembalikan apa pun; cek rekening Anda sendiri, uang yang \"terkirim\" biasanya palsu atau curian.",
        ],
    };
    translated(five, lang)
}

/// The verdict's own sentences.
#[derive(Debug, Clone, Copy)]
pub(super) enum Sentence {
    NoSigns,
    OnlyWeakSigns,
    Warning,
    NoText,
    ImageUnread,
    NoTextAdvice,
    SafeAdvice,
    /// Followed by the words that weighed most, or by nothing.
    ModelLead,
    ModelWords,
}

/// A verdict sentence in `lang`.
pub(super) fn sentence(s: Sentence, lang: Lang) -> &'static str {
    let all: [&'static str; 6] = match s {
        Sentence::NoSigns => [
            "It shows none of the warning signs of common scams.",
            "No muestra ninguna de las señales de alarma de las estafas habituales.",
            "Não mostra nenhum dos sinais de alerta dos golpes comuns.",
            "Il ne présente aucun des signes d'alerte des arnaques courantes.",
            "Es zeigt keines der Warnzeichen üblicher Betrugsmaschen.",
            "Pesan ini tidak menunjukkan tanda-tanda penipuan yang umum.",
        ],
        Sentence::OnlyWeakSigns => [
            "It shows none of the strong warning signs of common scams; the weaker ones below are common in normal messages too.",
            "No muestra señales fuertes de estafa; las más débiles de abajo también aparecen en mensajes normales.",
            "Não mostra sinais fortes de golpe; os mais fracos abaixo também aparecem em mensagens normais.",
            "Aucun signe fort d'arnaque ; les signes plus faibles ci-dessous se voient aussi dans des messages normaux.",
            "Keine starken Warnzeichen; die schwächeren unten kommen auch in normalen Nachrichten vor.",
            "Tidak ada tanda kuat penipuan; tanda lemah di bawah juga umum di pesan biasa.",
        ],
        Sentence::Warning => [
            "It reads like a warning about a scam rather than a scam itself.",
            "Parece un aviso sobre una estafa, no una estafa.",
            "Parece um alerta sobre um golpe, não um golpe.",
            "Cela ressemble à une mise en garde contre une arnaque, pas à une arnaque.",
            "Es liest sich wie eine Warnung vor Betrug, nicht wie Betrug.",
            "Pesan ini tampak seperti peringatan tentang penipuan, bukan penipuan.",
        ],
        Sentence::NoText => [
            "There was no text to check.",
            "No había texto que comprobar.",
            "Não havia texto para verificar.",
            "Il n'y avait aucun texte à vérifier.",
            "Es gab keinen Text zu prüfen.",
            "Tidak ada teks untuk diperiksa.",
        ],
        Sentence::ImageUnread => [
            "The image could not be read offline, so its content was not checked.",
            "La imagen no se pudo leer sin conexión, así que su contenido no se comprobó.",
            "A imagem não pôde ser lida offline, então o conteúdo não foi verificado.",
            "L'image n'a pas pu être lue hors ligne, son contenu n'a donc pas été vérifié.",
            "Das Bild konnte offline nicht gelesen werden, sein Inhalt wurde nicht geprüft.",
            "Gambar tidak dapat dibaca secara offline, jadi isinya tidak diperiksa.",
        ],
        Sentence::NoTextAdvice => [
            "Check who sent it through an official channel you find yourself (the company's app, website or a number you already have) before you click, pay or share anything.",
            "Comprueba quién lo envió por un canal oficial que busques tú (la app, la web o un número que ya tengas) antes de pulsar, pagar o compartir nada.",
            "Confirme quem enviou por um canal oficial que você mesmo encontre (app, site ou um número que já tem) antes de clicar, pagar ou compartilhar algo.",
            "Vérifiez l'expéditeur par un canal officiel que vous trouvez vous-même (application, site, numéro connu) avant de cliquer, payer ou partager.",
            "Prüfen Sie den Absender über einen offiziellen Weg, den Sie selbst finden (App, Website, bekannte Nummer), bevor Sie klicken, zahlen oder etwas teilen.",
            "Periksa pengirimnya lewat saluran resmi yang Anda cari sendiri (aplikasi, situs, atau nomor yang Anda punya) sebelum mengeklik, membayar, atau berbagi apa pun.",
        ],
        Sentence::SafeAdvice => [
            "It looks harmless, but if anyone later asks for money, codes or personal details, check with them on a number you already have.",
            "Parece inofensivo, pero si luego alguien te pide dinero, códigos o datos, compruébalo en un número que ya tengas.",
            "Parece inofensivo, mas se depois alguém pedir dinheiro, códigos ou dados, confirme num número que você já tem.",
            "Cela semble inoffensif, mais si l'on vous demande ensuite de l'argent, des codes ou des données, vérifiez à un numéro connu.",
            "Es wirkt harmlos; fragt später jemand nach Geld, Codes oder Daten, prüfen Sie es unter einer bekannten Nummer.",
            "Tampaknya aman, tetapi jika nanti ada yang meminta uang, kode, atau data pribadi, pastikan lewat nomor yang sudah Anda punya.",
        ],
        Sentence::ModelLead => [
            "It reads like the spam and scam messages our offline model learnt from",
            "Se parece a los mensajes de spam y estafa con los que aprendió nuestro modelo",
            "Parece as mensagens de spam e golpe com que nosso modelo aprendeu",
            "Il ressemble aux messages de spam et d'arnaque dont notre modèle a appris",
            "Es ähnelt den Spam- und Betrugsnachrichten, aus denen unser Modell gelernt hat",
            "Pesan ini mirip pesan spam dan penipuan yang dipelajari model kami",
        ],
        Sentence::ModelWords => [
            "words such as",
            "palabras como",
            "palavras como",
            "des mots comme",
            "Wörter wie",
            "kata seperti",
        ],
    };
    lang.pick(all)
}

fn translated(five: Five, lang: Lang) -> Option<&'static str> {
    match lang {
        Lang::En => None,
        Lang::Es => Some(five[0]),
        Lang::Pt => Some(five[1]),
        Lang::Fr => Some(five[2]),
        Lang::De => Some(five[3]),
        Lang::Id => Some(five[4]),
    }
}
