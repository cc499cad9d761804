package dev.reprise.android.capture

import dev.reprise.NodeKind
import dev.reprise.PrivacyOverride

/**
 * One view as the walker reads it, before it becomes the core's node. The walker fills in what
 * every view has (bounds, visibility, alpha, background, privacy); a [ViewMapper] then adds what
 * its widget kind has. Colours are ARGB ints, sizes pixels.
 */
class CapturedNode internal constructor() {
    /** What the view is, for the player. */
    var kind: NodeKind = NodeKind.CONTAINER

    /** The text shown; masked in the core unless the view is unmasked. */
    var text: String? = null

    /** The accessibility label; masked like [text]. */
    var contentDescription: String? = null

    /** Text colour, for text views. */
    var textColor: Int? = null

    /** Font size in pixels, for text views. */
    var fontSize: Float = 0f

    /** A secure text entry: always masked by the core. */
    var password: Boolean = false

    /** Scrolls its content. */
    var scrollable: Boolean = false

    /** Horizontal scroll offset in pixels. */
    var scrollX: Float = 0f

    /** Vertical scroll offset in pixels. */
    var scrollY: Float = 0f

    /** Solid background colour, when there is one. */
    var backgroundColor: Int? = null

    /** Corner radius of the background, in pixels. */
    var cornerRadius: Float = 0f

    /** A checkbox's, switch's or radio button's state; the core withholds it where inputs are masked. */
    var checked: Boolean? = null

    /** A progress bar's or slider's position from 0 to 1; withheld like [checked]. */
    var progress: Float? = null

    /** The privacy override sent to the core. */
    var privacy: PrivacyOverride = PrivacyOverride.INHERIT

    /** Whether the walker reads the view's children (false for placeholders and opaque content). */
    var walkChildren: Boolean = true

    internal fun reset() {
        kind = NodeKind.CONTAINER
        text = null
        contentDescription = null
        textColor = null
        fontSize = 0f
        password = false
        scrollable = false
        scrollX = 0f
        scrollY = 0f
        backgroundColor = null
        cornerRadius = 0f
        checked = null
        progress = null
        privacy = PrivacyOverride.INHERIT
        walkChildren = true
    }
}
