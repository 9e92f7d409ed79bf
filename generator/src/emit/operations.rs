//! Emits `operations.rs`: a constant describing each operation (paths, permissions, clouds), so
//! applications can compute the scopes they need and the runtime can refuse unavailable clouds.

use super::tokens::{const_name, docs};
use crate::ir::{Api, Binding, Cloud, PermissionKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn emit(api: &Api) -> TokenStream {
    let version = &api.version;
    let base_path = &api.base_path;
    let consts = api.operations.iter().map(|op| {
        let name = const_name(&op.method_name);
        let action = &op.action;
        let method = format_ident!("{}", op.http_method.as_str());
        let bindings = op.bindings.iter().map(emit_binding);
        let doc = docs(&format!(
            "`{}`: the `{}` operation, with every path it is bound to.",
            op.method_name.trim_start_matches("r#"),
            op.action
        ));
        quote! {
            #doc
            pub static #name: runtime::OperationInfo = runtime::OperationInfo {
                name: #action,
                version: #version,
                base_path: #base_path,
                method: runtime::Method::#method,
                bindings: &[ #( #bindings ),* ],
            };
        }
    });
    let all = api.operations.iter().map(|op| {
        let name = const_name(&op.method_name);
        quote!(&#name)
    });
    let module_doc = format!(
        " Descriptions of the {} operations: paths, permissions and national clouds.",
        api.version
    );
    quote! {
        #![doc = #module_doc]
        #( #consts )*

        /// Every operation of this version, sorted by method name.
        pub static ALL: &[&runtime::OperationInfo] = &[ #( #all ),* ];
    }
}

fn emit_binding(binding: &Binding) -> TokenStream {
    let operation_id = &binding.operation_id;
    let path = &binding.path;
    let permissions = binding.permissions.iter().map(|p| {
        let kind = match p.kind {
            PermissionKind::DelegatedWork => quote!(DelegatedWork),
            PermissionKind::DelegatedPersonal => quote!(DelegatedPersonal),
            PermissionKind::Application => quote!(Application),
        };
        let least = &p.least;
        let higher = &p.higher;
        quote! {
            runtime::PermissionInfo {
                kind: runtime::PermissionKind::#kind,
                least: #least,
                higher: &[ #( #higher ),* ],
            }
        }
    });
    let clouds = match &binding.clouds {
        None => quote!(None),
        Some(clouds) => {
            let clouds = clouds
                .iter()
                .map(|c: &Cloud| format_ident!("{}", c.variant()));
            quote!(Some(&[ #( runtime::Cloud::#clouds ),* ]))
        }
    };
    quote! {
        runtime::BindingInfo {
            operation_id: #operation_id,
            path: #path,
            permissions: &[ #( #permissions ),* ],
            clouds: #clouds,
        }
    }
}
