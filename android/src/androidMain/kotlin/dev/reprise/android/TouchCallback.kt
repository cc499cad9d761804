package dev.reprise.android

import android.view.KeyboardShortcutGroup
import android.view.Menu
import android.view.MotionEvent
import android.view.Window

/**
 * The window's callback, chained: every call (default methods included) goes to [delegate] unchanged (whatever another SDK
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

    // Kotlin's `by` does not forward Java default methods: forward them by hand, so that an
    // Activity's keyboard shortcuts and pointer capture keep working behind the wrapper.
    override fun onProvideKeyboardShortcuts(data: MutableList<KeyboardShortcutGroup>?, menu: Menu?, deviceId: Int) =
        delegate.onProvideKeyboardShortcuts(data, menu, deviceId)

    override fun onPointerCaptureChanged(hasCapture: Boolean) = delegate.onPointerCaptureChanged(hasCapture)
}
