package dev.reprise.android.capture

import android.view.View

/**
 * Reads one kind of view (its class and subclasses) into a [CapturedNode]. Apps register their
 * own in [dev.reprise.CaptureOptions.mappers]; the most specific class wins, an app's mapper
 * before a built-in one for the same class. Called on the main thread during a capture: read
 * only, allocate little, never throw (a throwing mapper makes the view an opaque masked box).
 */
interface ViewMapper<V : View> {
    /** The view class this mapper reads, subclasses included. */
    val viewClass: Class<V>

    /** Adds what [view] shows to [node] (already holding bounds, background and privacy). */
    fun map(view: V, node: CapturedNode)
}

/**
 * A mapper for a class the SDK does not compile against (androidx, Play services), recognised by
 * the fully qualified name of the view's class or one of its superclasses.
 */
abstract class NamedViewMapper(
    /** The fully qualified class name, e.g. `androidx.recyclerview.widget.RecyclerView`. */
    val className: String,
) : ViewMapper<View> {
    final override val viewClass: Class<View> get() = View::class.java
}

/** A [ViewMapper] from a class and a lambda: `viewMapper<ChartView> { view, node -> ... }`. */
inline fun <reified V : View> viewMapper(crossinline read: (V, CapturedNode) -> Unit): ViewMapper<V> =
    object : ViewMapper<V> {
        override val viewClass: Class<V> = V::class.java
        override fun map(view: V, node: CapturedNode) = read(view, node)
    }
