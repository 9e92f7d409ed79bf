//! Which root URLs a client may send its token to.
//!
//! The token is for Microsoft Graph. A base URL taken from configuration (or injected into it)
//! must not be able to collect it, so the host must be one of Graph's national cloud hosts, a
//! loopback address (tests, local proxies), or a host the application named explicitly.

use crate::{Cloud, Error};

/// Every cloud whose Graph host receives tokens without being named.
const CLOUDS: [Cloud; 4] = [Cloud::Global, Cloud::UsGovL4, Cloud::UsGovL5, Cloud::China];

/// Checks the scheme, credentials and host of `url`, and strips a trailing slash.
pub(crate) fn validate(url: &str, allowed_hosts: &[String]) -> Result<String, Error> {
    let refuse = |why: String| Error::InvalidInput(format!("base URL {url:?}: {why}"));
    let parsed = reqwest::Url::parse(url).map_err(|e| refuse(e.to_string()))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(refuse(
            "a user name or password in the URL is not allowed (the token is the only credential)"
                .into(),
        ));
    }
    let loopback = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    match parsed.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(refuse(
                "plain http is allowed only for loopback addresses".into(),
            ));
        }
        other => return Err(refuse(format!("unsupported scheme {other:?}"))),
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(refuse("must not have a query or fragment".into()));
    }
    let host = parsed.host_str().unwrap_or_default();
    if !loopback && !is_graph_host(host) && !is_allowed(host, allowed_hosts) {
        return Err(refuse(format!(
            "{host} is not a Microsoft Graph host ({}) or loopback, so it may not receive the \
             token; call allow_host({host:?}) if it is a gateway you trust",
            graph_hosts().join(", ")
        )));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

fn graph_hosts() -> Vec<&'static str> {
    CLOUDS
        .iter()
        .map(|cloud| cloud.base_url().trim_start_matches("https://"))
        .collect()
}

fn is_graph_host(host: &str) -> bool {
    graph_hosts()
        .iter()
        .any(|graph| graph.eq_ignore_ascii_case(host))
}

fn is_allowed(host: &str, allowed_hosts: &[String]) -> bool {
    allowed_hosts
        .iter()
        .any(|allowed| allowed.trim_end_matches('.').eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use super::validate;

    fn check(url: &str) -> Result<String, String> {
        validate(url, &[]).map_err(|e| e.to_string())
    }

    #[test]
    fn http_only_for_loopback() {
        assert!(check("http://127.0.0.1:8080/").is_ok());
        assert!(check("http://[::1]:8080").is_ok());
        assert!(check("http://localhost:1").is_ok());
        assert!(check("http://graph.example.com").is_err());
        assert_eq!(
            check("https://graph.microsoft.com/").unwrap(),
            "https://graph.microsoft.com"
        );
        assert!(check("ftp://x").is_err());
    }

    #[test]
    fn every_cloud_host_is_accepted() {
        for url in [
            "https://graph.microsoft.com",
            "https://graph.microsoft.us/",
            "https://dod-graph.microsoft.us",
            "https://microsoftgraph.chinacloudapi.cn",
            "https://GRAPH.microsoft.com/v1.0",
        ] {
            assert!(check(url).is_ok(), "{url}");
        }
    }

    #[test]
    fn other_hosts_need_to_be_named() {
        let err = check("https://graph.example.com").unwrap_err();
        assert!(err.contains("not a Microsoft Graph host"), "{err}");
        assert!(err.contains("allow_host(\"graph.example.com\")"), "{err}");
        // Look-alikes of Graph's hosts are other hosts.
        assert!(check("https://graph.microsoft.com.example.com").is_err());
        assert!(check("https://evilgraph.microsoft.com").is_err());
        let allowed = ["Graph.Example.com".to_owned()];
        assert!(validate("https://graph.example.com/proxy", &allowed).is_ok());
        assert!(validate("https://other.example.com", &allowed).is_err());
    }

    #[test]
    fn credentials_in_the_url_are_refused() {
        for url in [
            "https://user:pw@graph.microsoft.com",
            "https://user@graph.microsoft.com",
            "http://:pw@127.0.0.1:8080",
        ] {
            let err = check(url).unwrap_err();
            assert!(err.contains("user name or password"), "{url}: {err}");
        }
    }
}
