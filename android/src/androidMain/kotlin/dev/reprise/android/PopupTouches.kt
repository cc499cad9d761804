package dev.reprise.android

import android.view.MotionEvent
import android.view.View
import android.view.WindowManager
import android.widget.PopupWindow
import java.lang.reflect.Field

/**
 * Touches on the windows that have no `Window.Callback`. A [PopupWindow] (and so a
 * `ListPopupWindow`, a `Spinner`'s dropdown, a `PopupMenu`) roots its window in a
 * `PopupWindow$PopupDecorView`, whose `dispatchTouchEvent` asks the popup's touch interceptor
 * first: Reprise chains one there, found from the decor view (the inner class's outer
 * instance), that hands each event on and then calls the interceptor the app set, unchanged.
 *
 * Reflection on hidden fields, guarded: when it is refused (or a root is some other windowless
 * view) [install] returns [Outcome.UNSUPPORTED] and that window's touches are not recorded; its
 * views still are. A window with `FLAG_NOT_TOUCHABLE` (a toast) receives no touches at all.
 */
internal class PopupTouches(private val onTouch: (MotionEvent, View) -> Unit) {
    /** What [install] did for one root. */
    enum class Outcome {
        /** The chained interceptor is (now) in place. */
        INSTALLED,

        /** The window takes no touches (`FLAG_NOT_TOUCHABLE`, as a toast's): nothing to record. */
        NOT_TOUCHABLE,

        /** Not a popup, or reflection was refused: this window's touches are not recorded. */
        UNSUPPORTED,
    }

    /** Chains the recording interceptor on [root]'s popup, once (an interceptor that is ours is left as is). */
    fun install(root: View): Outcome {
        val params = root.layoutParams as? WindowManager.LayoutParams
        if (params != null && params.flags and WindowManager.LayoutParams.FLAG_NOT_TOUCHABLE != 0) return Outcome.NOT_TOUCHABLE
        val popup = popupOf(root) ?: return Outcome.UNSUPPORTED
        val interceptor = interceptorField ?: return Outcome.UNSUPPORTED
        return try {
            val current = interceptor.get(popup) as? View.OnTouchListener
            if (current !is Interceptor) popup.setTouchInterceptor(Interceptor(current, onTouch))
            Outcome.INSTALLED
        } catch (e: Throwable) {
            Outcome.UNSUPPORTED
        }
    }

    /** Records each event, then asks the app's own interceptor (if any) as the popup would have. */
    private class Interceptor(
        val delegate: View.OnTouchListener?,
        private val onTouch: (MotionEvent, View) -> Unit,
    ) : View.OnTouchListener {
        override fun onTouch(view: View, event: MotionEvent): Boolean {
            try {
                onTouch(event, view)
            } catch (e: Throwable) {
                // Never let recording break the popup's touch handling.
            }
            return delegate?.onTouch(view, event) ?: false
        }
    }

    private companion object {
        const val DECOR_CLASS = "android.widget.PopupWindow\$PopupDecorView"

        /** The decor view's outer instance (`this$0`): its PopupWindow. */
        val outerField: Field? = runCatching {
            Class.forName(DECOR_CLASS).declaredFields.single { it.type == PopupWindow::class.java }.apply { isAccessible = true }
        }.getOrNull()

        /** The interceptor the app set with `setTouchInterceptor` (there is no public getter). */
        val interceptorField: Field? = runCatching {
            PopupWindow::class.java.getDeclaredField("mTouchInterceptor").apply { isAccessible = true }
        }.getOrNull()

        fun popupOf(root: View): PopupWindow? = try {
            if (root.javaClass.name == DECOR_CLASS) outerField?.get(root) as? PopupWindow else null
        } catch (e: Throwable) {
            null
        }
    }
}
