package dev.reprise.android

import android.view.MotionEvent
import android.view.Window

/**
 * The window's callback, chained: every call goes to [delegate] unchanged (whatever another SDK
 * or the activity installed before), and each touch event is first handed to [onTouch]. Reading
 * the event never changes its delivery; a failure in [onTouch] is swallowed.
 */
internal class TouchCallback(
    val delegate: Window.Callback,
    private val window: Window,
    private val onTouch: (MotionEvent, Window) -> Unit,
) : Window.Callback by delegate {
    override fun dispatchTouchEvent(event: MotionEvent?): Boolean {
        if (event != null) {
            try {
                onTouch(event, window)
            } catch (e: Throwable) {
                // Never let recording break the app's touch handling.
            }
        }
        return delegate.dispatchTouchEvent(event)
    }
}
