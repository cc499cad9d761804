//! Runnable examples of the whole product: [`demo`] records the fixtures' two sessions through
//! the real SDK into an embedded collector (the `reprise-demo` binary, the README's main command).
//! The `scripted-session` binary records one session into memory and summarises it.

pub mod demo;
