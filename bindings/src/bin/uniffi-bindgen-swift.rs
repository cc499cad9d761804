//! The workspace's `uniffi-bindgen-swift`: generates the Swift of every crate in the library
//! (the core's types and the bindings) with one C modulemap for all their headers;
//! `scripts/generate-bindings.sh` runs it.

fn main() {
    uniffi::uniffi_bindgen_swift()
}
