//! Emits `operations.rs`: a constant describing each operation (paths, permissions, clouds), so
//! applications can compute the scopes they need and the runtime can refuse unavailable clouds.

use super::tokens::{docs, ident};
use crate::ir::{Api, Binding, Cloud, Operation, PermissionKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn emit(api: &Api) -> TokenStream {
    let version = &api.version;
    let base_path = &api.base_path;
    let consts = api.operations.iter().map(|op| {
        let name = ident(&op.descriptor);
        let action = &op.action;
        let method = format_ident!("{}", op.http_method.as_str());
        let binding_names = op.bindings.iter().map(|b| ident(&b.descriptor));
        let bindings = op.bindings.iter().map(|b| emit_binding(op, b));
        let doc = docs(&format!(
            "The `{} {}` operation, with every path it is bound to.",
            op.http_method.as_str(),
            op.action
        ));
        quote! {
            #doc
            pub static #name: runtime::OperationInfo = runtime::OperationInfo {
                name: #action,
                version: #version,
                base_path: #base_path,
                method: runtime::Method::#method,
                bindings: &[ #( &#binding_names ),* ],
            };
            #( #bindings )*
        }
    });
    let all = api.operations.iter().map(|op| {
        let name = ident(&op.descriptor);
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

fn emit_binding(op: &Operation, binding: &Binding) -> TokenStream {
    let name = ident(&binding.descriptor);
    let operation = ident(&op.descriptor);
    let doc = docs(&format!(
        "`{} {}`, called as `{}`.",
        op.http_method.as_str(),
        binding.path,
        binding.call
    ));
    let operation_id = &binding.operation_id;
    let path = &binding.path;
    let permissions = binding.permissions.iter().map(|p| {
        // One constructor call per permission keeps each on one line of the generated file.
        let constructor = match p.kind {
            PermissionKind::DelegatedWork => quote!(delegated_work),
            PermissionKind::DelegatedPersonal => quote!(delegated_personal),
            PermissionKind::Application => quote!(application),
        };
        let least = &p.least;
        let higher = &p.higher;
        quote!(runtime::PermissionInfo::#constructor(#least, &[ #( #higher ),* ]))
    });
    let clouds = match &binding.clouds {
        None => quote!(::std::option::Option::None),
        Some(clouds) => {
            let clouds = clouds
                .iter()
                .map(|c: &Cloud| format_ident!("{}", c.variant()));
            quote!(::std::option::Option::Some(&[ #( runtime::Cloud::#clouds ),* ]))
        }
    };
    quote! {
        #doc
        pub static #name: runtime::BindingInfo = runtime::BindingInfo {
            operation: &#operation,
            operation_id: #operation_id,
            path: #path,
            permissions: &[ #( #permissions ),* ],
            clouds: #clouds,
        };
    }
}
