package dev.reprise.android.capture.mappers

import android.view.View
import java.lang.reflect.Method

/**
 * The scroll offset of a list (ListView, RecyclerView), whose own scrollX/scrollY stay 0: the
 * protected `View.computeVertical/HorizontalScrollOffset` that lists override, looked up once.
 * Public SDK methods, so reflection on them is allowed on every Android version; null if refused.
 */
internal object ScrollOffsets {
    private val vertical: Method? = method("computeVerticalScrollOffset")
    private val horizontal: Method? = method("computeHorizontalScrollOffset")

    private fun method(name: String): Method? =
        runCatching { View::class.java.getDeclaredMethod(name).apply { isAccessible = true } }.getOrNull()

    fun vertical(view: View): Float = read(vertical, view)

    fun horizontal(view: View): Float = read(horizontal, view)

    private fun read(method: Method?, view: View): Float =
        runCatching { (method?.invoke(view) as? Int)?.toFloat() }.getOrNull() ?: 0f
}
