package dev.reprise.android

import android.os.SystemClock
import android.view.MotionEvent
import dev.reprise.TouchAction
import dev.reprise.TouchSample

/**
 * One [MotionEvent] as the core's samples, in screen pixels: every pointer, the batched history
 * (oldest first, as moves), then the event itself, where only the pointer at the action index
 * goes up or down on POINTER_UP/POINTER_DOWN. [offsetX]/[offsetY] is the window's position on screen.
 */
internal fun MotionEvent.toSamples(offsetX: Float, offsetY: Float): List<TouchSample> {
    // Event times are uptime milliseconds; the core wants Unix microseconds.
    val epochOffsetMs = System.currentTimeMillis() - SystemClock.uptimeMillis()
    val action = when (actionMasked) {
        MotionEvent.ACTION_DOWN -> TouchAction.DOWN
        MotionEvent.ACTION_UP -> TouchAction.UP
        MotionEvent.ACTION_CANCEL -> TouchAction.CANCEL
        MotionEvent.ACTION_POINTER_DOWN -> TouchAction.POINTER_DOWN
        MotionEvent.ACTION_POINTER_UP -> TouchAction.POINTER_UP
        else -> TouchAction.MOVE
    }
    val pointers = pointerCount
    val samples = ArrayList<TouchSample>((historySize + 1) * pointers)
    for (h in 0 until historySize) {
        val timeUs = (getHistoricalEventTime(h) + epochOffsetMs) * 1000
        for (p in 0 until pointers) {
            samples += TouchSample(
                getPointerId(p).toUInt(), TouchAction.MOVE, getHistoricalX(p, h) + offsetX, getHistoricalY(p, h) + offsetY,
                timeUs, getHistoricalPressure(p, h), getHistoricalSize(p, h),
            )
        }
    }
    val timeUs = (eventTime + epochOffsetMs) * 1000
    val byIndex = action == TouchAction.POINTER_DOWN || action == TouchAction.POINTER_UP
    for (p in 0 until pointers) {
        val a = if (byIndex && p != actionIndex) TouchAction.MOVE else action
        samples += TouchSample(getPointerId(p).toUInt(), a, getX(p) + offsetX, getY(p) + offsetY, timeUs, getPressure(p), getSize(p))
    }
    return samples
}
