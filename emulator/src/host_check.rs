//! The `Host` check: the emulator answers only requests addressed to a loopback name
//! (`127.0.0.1`, `localhost`, `[::1]`) or a host it was configured with. Its control routes
//! need no token, so without this a web page could rebind its own DNS name to 127.0.0.1 and
//! drive them from a browser; such requests carry the page's name in `Host` and get 421.

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The names (without port) requests may be addressed to, besides loopback.
#[derive(Debug, Clone, Default)]
pub(crate) struct AllowedHosts(pub Arc<Vec<String>>);

pub(crate) async fn check(
    State(allowed): State<AllowedHosts>,
    request: Request,
    next: Next,
) -> Response {
    // HTTP/1.1 requires Host and browsers always send it; a request without one (HTTP/1.0
    // tools) cannot come from a rebinding page.
    let host = request
        .headers()
        .get(header::HOST)
        .map(|v| v.to_str().unwrap_or("\u{fffd}").to_owned());
    match host {
        Some(host) if !allowed_host(&host, &allowed.0) => (
            StatusCode::MISDIRECTED_REQUEST,
            [(header::CONTENT_TYPE, "text/plain")],
            "This emulator answers only requests addressed to 127.0.0.1, localhost, [::1] or its configured hosts.",
        )
            .into_response(),
        _ => next.run(request).await,
    }
}

/// `host` is a `Host` header value: a name or address, with an optional `:port`.
fn allowed_host(host: &str, extra: &[String]) -> bool {
    let name = match host.rsplit_once(':') {
        // An IPv6 literal keeps its colons inside brackets.
        Some((name, port)) if !port.contains(']') && port.bytes().all(|b| b.is_ascii_digit()) => {
            name
        }
        _ => host,
    };
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|l| l.eq_ignore_ascii_case(name))
        || extra.iter().any(|h| h.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::allowed_host;

    #[test]
    fn loopback_names_and_configured_hosts_only() {
        let extra = vec!["emulator.internal".to_owned()];
        for ok in [
            "127.0.0.1:8080",
            "127.0.0.1",
            "LOCALHOST:1",
            "[::1]:9",
            "[::1]",
            "emulator.internal:80",
        ] {
            assert!(allowed_host(ok, &extra), "{ok}");
        }
        for bad in [
            "attacker.example:8080",
            "127.0.0.1.attacker.example",
            "localhost.attacker.example:1",
            "[::2]:9",
            "",
            "127.0.0.1:80:80",
        ] {
            assert!(!allowed_host(bad, &extra), "{bad}");
        }
    }
}
