//! compose: the one document a module is generated from, made of one or more source documents,
//! an optional [`Selection`] and an optional [`Overlay`].
//!
//! One source with neither is passed through untouched, so errors and warnings point into the
//! user's own file. An overlay alone is applied to the whole document, as `cargo xtask slice`
//! applies `spec/<version>/overlay.yaml`. A selection, or several sources, go through
//! [`crate::slice::slice`], which merges the sources, keeps what the selection keeps (everything
//! when there is none) with the components it reaches, then applies the overlay.

use crate::error::Error;
use crate::overlay::{self, Overlay};
use crate::slice::{self, Selection, Source};
use crate::yaml;

/// The document to generate from, and what composing it had to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    /// Names the document in messages: the source's file, or how it was made.
    pub label: String,
    /// The document's text.
    pub text: String,
    /// Stale overlay actions and selection warnings, one line each.
    pub warnings: Vec<String>,
}

/// Composes `sources` (label, text), `selection` and `overlay` into one document.
pub fn compose(
    sources: &[Source<'_>],
    selection: Option<&Selection>,
    overlay: Option<&Overlay>,
) -> Result<Composed, Error> {
    match (sources, selection) {
        ([], _) => Err(Error::setting("sources", "no source document given")),
        ([(label, text)], None) => match overlay {
            None => Ok(Composed {
                label: (*label).to_owned(),
                text: (*text).to_owned(),
                warnings: Vec::new(),
            }),
            Some(overlay) => overlaid(label, text, overlay),
        },
        _ => {
            let everything;
            let selection = match selection {
                Some(selection) => selection,
                None => {
                    everything = Selection::everything("every path of the sources");
                    &everything
                }
            };
            let sliced = slice::slice(sources, selection, overlay)?;
            let mut warnings: Vec<String> =
                sliced.warnings.iter().map(ToString::to_string).collect();
            warnings.extend(sliced.stale.iter().map(ToString::to_string));
            let names: Vec<&str> = sources.iter().map(|(label, _)| *label).collect();
            let mut label = format!("{} sliced by {}", names.join(" + "), selection.label);
            if let Some(overlay) = overlay {
                label.push_str(&format!(" with {} applied", overlay.label));
            }
            Ok(Composed {
                label,
                text: sliced.yaml,
                warnings,
            })
        }
    }
}

/// The selection a command line or build script describes: a selection file (label, text)
/// with `include`/`exclude` patterns added, or the patterns alone (`label` names them in
/// messages), or `None` when nothing is given.
pub fn selection(
    file: Option<(&str, &str)>,
    label: &str,
    include: &[&str],
    exclude: &[&str],
) -> Result<Option<Selection>, Error> {
    let selection = match file {
        Some((file_label, text)) => Selection::parse(file_label, text)?
            .include(include)?
            .exclude(exclude)?,
        None if include.is_empty() && exclude.is_empty() => return Ok(None),
        None if include.is_empty() => Selection::everything(label).exclude(exclude)?,
        None => Selection::from_patterns(label, include, exclude)?,
    };
    Ok(Some(selection))
}

/// The whole of one document with `overlay` applied.
fn overlaid(label: &str, text: &str, overlay: &Overlay) -> Result<Composed, Error> {
    let mut document: yaml::Value =
        yaml::from_str(text).map_err(|e| e.located(label, text, "not valid YAML"))?;
    let stale = overlay::apply(&mut document, overlay)?;
    let text = yaml::to_string(&document)
        .map_err(|e| Error::internal(format!("re-serializing {label}: {e}")))?;
    Ok(Composed {
        // Later errors point into the overlaid document, which is on no disk: the label says so.
        label: format!("{label} with {} applied", overlay.label),
        text,
        warnings: stale.iter().map(ToString::to_string).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /b: {get: {responses: {'200': {description: OK}}}}\n  /a: {get: {responses: {'200': {description: OK}}}}\n";

    #[test]
    fn one_source_alone_is_untouched() {
        let composed = compose(&[("doc.yaml", DOC)], None, None).unwrap();
        assert_eq!(composed.label, "doc.yaml");
        assert_eq!(composed.text, DOC);
    }

    #[test]
    fn a_selection_slices() {
        let selection = Selection::from_patterns("--include", ["/a"], [] as [&str; 0]).unwrap();
        let composed = compose(&[("doc.yaml", DOC)], Some(&selection), None).unwrap();
        assert_eq!(composed.label, "doc.yaml sliced by --include");
        assert!(composed.text.contains("/a:") && !composed.text.contains("/b:"));
    }

    #[test]
    fn settings_make_a_selection() {
        assert!(selection(None, "--include", &[], &[]).unwrap().is_none());
        let only_exclude = selection(None, "--exclude", &[], &["/b"]).unwrap().unwrap();
        let composed = compose(&[("doc.yaml", DOC)], Some(&only_exclude), None).unwrap();
        assert!(composed.text.contains("/a:") && !composed.text.contains("/b:"));
        let file = selection(
            Some(("s.yaml", "include: [/a]\n")),
            "--include",
            &["/b"],
            &[],
        )
        .unwrap()
        .unwrap();
        let composed = compose(&[("doc.yaml", DOC)], Some(&file), None).unwrap();
        assert!(composed.text.contains("/a:") && composed.text.contains("/b:"));
        let err = selection(None, "--include", &["nope"], &[]).unwrap_err();
        assert!(
            err.to_string().contains("`nope` must start with `/`"),
            "{err}"
        );
    }

    #[test]
    fn no_source_is_an_error() {
        let err = compose(&[], None, None).unwrap_err().to_string();
        assert!(err.contains("no source document"), "{err}");
    }
}
