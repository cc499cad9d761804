//! The workspace's `uniffi-bindgen`: `scripts/generate-bindings.sh` runs it in library mode.

fn main() {
    uniffi::uniffi_bindgen_main()
}
