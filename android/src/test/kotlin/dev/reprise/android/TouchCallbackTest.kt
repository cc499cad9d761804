package dev.reprise.android

import android.app.Application
import android.os.Looper
import android.os.SystemClock
import android.view.MotionEvent
import android.view.Window
import dev.reprise.Reprise
import dev.reprise.RepriseConfig
import dev.reprise.TouchAction
import dev.reprise.start
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertSame
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import java.nio.file.Files

/** The chained window callback and the MotionEvent conversion, on real framework objects. */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class TouchCallbackTest {
    private val app = RuntimeEnvironment.getApplication() as Application
    private val reprise = Reprise.start(app, RepriseConfig(dataDir = Files.createTempDirectory("reprise-touch").toFile().path))

    @After
    fun close() = reprise.close()

    /** Another SDK's wrapper, installed after Reprise's: it must see every event too. */
    private class OtherSdk(val inner: Window.Callback) : Window.Callback by inner {
        var seen = 0
        override fun dispatchTouchEvent(event: MotionEvent?): Boolean {
            seen++
            return inner.dispatchTouchEvent(event)
        }
    }

    @Test
    fun `the callback chains with other wrappers, is installed once, and hands one batch per event`() {
        val controller = Robolectric.buildActivity(SampleActivity::class.java).setup()
        val activity = controller.get()
        shadowOf(Looper.getMainLooper()).idle()
        val ours = activity.window.callback as TouchCallback
        assertSame("Reprise wraps the activity", activity, ours.delegate)
        val other = OtherSdk(activity.window.callback)
        activity.window.callback = other

        val (x, y) = centreInWindow(activity.signIn)
        val before = reprise.stats.events
        Touches(activity.window.decorView).tap(x, y)
        assertEquals("one batch per MotionEvent", before + 2uL, reprise.stats.events)
        shadowOf(Looper.getMainLooper()).idle()
        assertEquals("the other SDK saw both events", 2, other.seen)
        assertEquals("the click was delivered once", 1, activity.clicks)

        // Stopped and started again: no second wrapper.
        controller.pause().stop().start().resume()
        shadowOf(Looper.getMainLooper()).idle()
        assertSame(other, activity.window.callback)
        val again = reprise.stats.events
        Touches(activity.window.decorView).tap(x, y)
        assertEquals(again + 2uL, reprise.stats.events)
    }

    @Test
    fun `the interface's default methods reach the wrapped callback too`() {
        val activity = Robolectric.buildActivity(SampleActivity::class.java).setup().get()
        var captured: Boolean? = null
        val inner = object : Window.Callback by activity {
            override fun onPointerCaptureChanged(hasCapture: Boolean) {
                captured = hasCapture
            }
        }
        TouchCallback(inner, activity.window) { _, _ -> }.onPointerCaptureChanged(true)
        assertEquals(true, captured)
    }

    @Test
    fun `a MotionEvent becomes every pointer, its history, and the action at its index, in screen coordinates`() {
        val t = SystemClock.uptimeMillis()
        val props = Array(2) { i -> MotionEvent.PointerProperties().apply { id = i + 5 } }
        fun coords(dx: Float) = Array(2) { i -> MotionEvent.PointerCoords().apply { x = 10f + i * 100 + dx; y = 20f; pressure = 0.5f } }
        val event = MotionEvent.obtain(t, t, MotionEvent.ACTION_MOVE, 2, props, coords(0f), 0, 0, 1f, 1f, 0, 0, 0x1002, 0)
        event.addBatch(t + 8, coords(4f), 0)
        event.addBatch(t + 16, coords(8f), 0)
        val samples = event.toSamples(offsetX = 30f, offsetY = 400f)
        assertEquals("2 pointers x (2 historical + 1)", 6, samples.size)
        assertEquals(listOf(5u, 6u, 5u, 6u, 5u, 6u), samples.map { it.pointerId })
        assertEquals(listOf(40f, 140f, 44f, 144f, 48f, 148f), samples.map { it.x })
        assertTrue(samples.all { it.y == 420f && it.action == TouchAction.MOVE })
        assertTrue("times ascend", samples.zipWithNext().all { (a, b) -> a.timeUs <= b.timeUs })
        event.recycle()

        val up = MotionEvent.obtain(t, t + 20, MotionEvent.ACTION_POINTER_UP or (1 shl MotionEvent.ACTION_POINTER_INDEX_SHIFT),
            2, props, coords(8f), 0, 0, 1f, 1f, 0, 0, 0x1002, 0)
        val last = up.toSamples(0f, 0f)
        assertEquals(listOf(TouchAction.MOVE, TouchAction.POINTER_UP), last.map { it.action })
        assertEquals(6u, last[1].pointerId)
        up.recycle()
    }
}
