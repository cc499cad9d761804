package dev.reprise.android

import android.os.SystemClock
import android.view.Choreographer

/**
 * When to capture: [markDirty] (a window drew) asks for a snapshot at the next frame, but at
 * most once per [intervalMs]; [captureNow] (a new activity, dialog or rotation) asks for one at
 * the next frame whatever the throttle. Main thread only; [capture] runs in a Choreographer
 * frame callback, so it sees the frame's layout.
 */
internal class CaptureScheduler(private val intervalMs: Long, private val capture: () -> Unit) : Choreographer.FrameCallback {
    private val choreographer = Choreographer.getInstance()
    private var dirty = false
    private var posted = false
    private var lastCaptureMs = Long.MIN_VALUE / 2
    private var stopped = false

    fun markDirty() {
        dirty = true
        schedule(SystemClock.uptimeMillis().let { now -> (lastCaptureMs + intervalMs - now).coerceAtLeast(0) })
    }

    fun captureNow() {
        dirty = true
        if (posted) choreographer.removeFrameCallback(this)
        posted = false
        schedule(0)
    }

    fun stop() {
        stopped = true
        choreographer.removeFrameCallback(this)
    }

    private fun schedule(delayMs: Long) {
        if (posted || stopped) return
        posted = true
        choreographer.postFrameCallbackDelayed(this, delayMs)
    }

    override fun doFrame(frameTimeNanos: Long) {
        posted = false
        if (!dirty || stopped) return
        dirty = false
        lastCaptureMs = SystemClock.uptimeMillis()
        try {
            capture()
        } catch (e: Throwable) {
            // The capture guards itself; this is the last line that keeps the app alive.
        }
    }
}
