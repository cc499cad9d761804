package dev.reprise.android.capture

import android.view.View
import dev.reprise.EmbeddedTreeReader
import java.lang.reflect.Method

/**
 * The Android-only part of Compose capture: an `AndroidComposeView` (internal to Compose, so
 * recognised by its class name) and its `SemanticsOwner` (read through `getSemanticsOwner`,
 * reflection guarded), and the Compose module's reader of it when the app has that module.
 * When any of this is missing or refused the view is captured as a masked box, its content unread.
 */
internal object ComposeViews {
    const val VIEW_CLASS = "androidx.compose.ui.platform.AndroidComposeView"
    private const val READER_CLASS = "dev.reprise.compose.ComposeTreeReader"

    private var getter: Method? = null

    /** Whether [view] is an `AndroidComposeView`. */
    fun isComposeView(view: View): Boolean = view.javaClass.name == VIEW_CLASS

    /** [view]'s `SemanticsOwner`, or null when [view] is no Compose view or the lookup failed. */
    fun semanticsOwner(view: View): Any? {
        if (!isComposeView(view)) return null
        return try {
            val method = getter?.takeIf { it.declaringClass.isInstance(view) }
                ?: view.javaClass.getMethod("getSemanticsOwner").also { getter = it }
            method.invoke(view)
        } catch (e: Throwable) {
            null
        }
    }

    /** The Compose module's reader (`dev.reprise.compose.ComposeTreeReader`), or null when the app does not have it. */
    val reader: EmbeddedTreeReader? by lazy {
        try {
            Class.forName(READER_CLASS).getField("INSTANCE").get(null) as? EmbeddedTreeReader
        } catch (e: Throwable) {
            null
        }
    }
}
