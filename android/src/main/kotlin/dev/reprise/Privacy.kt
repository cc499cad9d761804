package dev.reprise

/** What Reprise records of a view and its subtree, whatever the session's mask mode. */
enum class Privacy {
    /** Text and images are recorded as shapes only. */
    MASK,

    /** Text and images are recorded as they are (password fields stay masked). */
    UNMASK,

    /** The view is recorded as an empty box; nothing below it is read. */
    HIDE,
}

/** The core's per-node override of a privacy choice (null: inherit). */
internal fun Privacy?.toOverride(): PrivacyOverride = when (this) {
    null -> PrivacyOverride.INHERIT
    Privacy.MASK -> PrivacyOverride.MASK
    Privacy.UNMASK -> PrivacyOverride.UNMASK
    Privacy.HIDE -> PrivacyOverride.HIDE
}
