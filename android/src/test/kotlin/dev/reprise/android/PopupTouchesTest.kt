package dev.reprise.android

import android.app.Application
import android.os.Looper
import android.view.Gravity
import android.view.MotionEvent
import android.view.View
import android.view.WindowManager
import android.widget.Button
import android.widget.LinearLayout
import android.widget.PopupWindow
import dev.reprise.Collector
import dev.reprise.Privacy
import dev.reprise.Reprise
import dev.reprise.RepriseConfig
import dev.reprise.UploadOptions
import dev.reprise.reprisePrivacy
import dev.reprise.current
import dev.reprise.start
import kotlinx.coroutines.runBlocking
import org.json.JSONObject
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotEquals
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import java.nio.file.Files
import java.time.Duration
import kotlin.time.Duration.Companion.seconds

/**
 * A real PopupWindow over the sample activity (a window without a `Window.Callback`): a real
 * MotionEvent through its decor view reaches the core through the chained touch interceptor,
 * the app's own interceptor still sees it, and the stored session has the tap on the popup's
 * item in a window drawn above the activity.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class PopupTouchesTest {
    private val collector = Collector()

    @After
    fun close() {
        Reprise.current?.close()
        collector.close()
    }

    private fun idle(ms: Long = 300) = shadowOf(Looper.getMainLooper()).idleFor(Duration.ofMillis(ms))

    @Test
    fun `a tap on a popup's item is recorded with the item as target, the popup above the activity`() {
        val app = RuntimeEnvironment.getApplication() as Application
        val config = RepriseConfig(
            dataDir = Files.createTempDirectory("reprise-popup").toFile().path,
            upload = UploadOptions(collector.endpoint, collector.apiKey, initialBackoffMs = 100u),
        )
        val reprise = Reprise.start(app, config)
        val activity = Robolectric.buildActivity(SampleActivity::class.java).setup().get()
        idle()

        var itemClicks = 0
        val item = Button(activity).apply {
            text = ITEM
            reprisePrivacy = Privacy.UNMASK
            setOnClickListener { itemClicks++ }
        }
        val content = LinearLayout(activity).apply { addView(item, 240, 100) }
        val appSaw = ArrayList<Int>()
        // On Robolectric's default 320 x 470 dp screen (density 1), over the activity's views.
        val popup = PopupWindow(content, 240, 100, true).apply {
            setTouchInterceptor { _, event -> appSaw += event.actionMasked; false }
            showAtLocation(activity.window.decorView, Gravity.TOP or Gravity.START, 40, 200)
        }
        idle()
        val decor = content.rootView
        assertEquals("android.widget.PopupWindow\$PopupDecorView", decor.javaClass.name)

        val session = AndroidSession.current!!
        val (x, y) = centreInWindow(item)
        val before = reprise.stats.events
        Touches(decor).tap(x, y)
        assertEquals("one batch per MotionEvent reached the core", before + 2uL, reprise.stats.events)
        assertEquals("the app's interceptor saw both events", listOf(MotionEvent.ACTION_DOWN, MotionEvent.ACTION_UP), appSaw)
        idle()
        assertEquals("the click reached the item", 1, itemClicks)
        assertEquals("every touchable window is recorded", 0, session.windowsWithoutTouches)

        // Later scans (the poll runs while the activity is started) leave one interceptor: a
        // drag (down, two moves, up) is four batches.
        idle(2_000)
        val again = reprise.stats.events
        Touches(decor).drag(x, y + 30, y - 30, moves = 2, batch = 1)
        assertEquals("installed once", again + 4uL, reprise.stats.events)
        assertEquals(6, appSaw.size)
        idle()

        assertEquals(0L, runBlocking { reprise.flushAndUpload(20.seconds) })
        val stored = StoredSession(storedRecords(reprise.sessionId))
        val tap = stored.gestures("Tap").singleOrNull() ?: error("one tap in ${stored.ofKind("Gesture")}")
        assertEquals("on the item, in screen coordinates", listOf(40 + 120, 200 + 50), listOf(tap.getInt("x"), tap.getInt("y")))
        val target = tap.getJSONObject("target")
        assertEquals(ITEM, target.getJSONObject("label").getString("Plain"))
        assertEquals("android.widget.Button", stored.className(target.getInt("id")))
        val popupWindow = stored.windowOf(target.getInt("id"))
        assertEquals("android.widget.PopupWindow\$PopupDecorView", stored.className(popupWindow))
        val windows = stored.children.getValue(StoredSession.SCREEN)
        assertEquals("the activity and, above it, the popup: $windows", 2, windows.size)
        assertEquals(popupWindow, windows[1])
        assertNotEquals(popupWindow, windows[0])
        assertEquals("com.android.internal.policy.DecorView", stored.className(windows[0]))
        popup.dismiss()
    }

    @Test
    fun `a windowless root that is no popup is counted, a toast-like untouchable one is not`() {
        val app = RuntimeEnvironment.getApplication() as Application
        Reprise.start(app, RepriseConfig(dataDir = Files.createTempDirectory("reprise-popup").toFile().path))
        val activity = Robolectric.buildActivity(SampleActivity::class.java).setup().get()
        idle()
        // A view added straight to the window manager (a floating bubble): no Window, no popup.
        val bubble = View(activity)
        activity.windowManager.addView(bubble, WindowManager.LayoutParams(100, 100))
        // A window that takes no touches, as a toast's: nothing to record, nothing counted.
        val toastLike = View(activity)
        activity.windowManager.addView(toastLike, WindowManager.LayoutParams(100, 100).apply {
            flags = flags or WindowManager.LayoutParams.FLAG_NOT_TOUCHABLE
        })
        idle(600)
        val session = AndroidSession.current!!
        assertEquals(1, session.windowsWithoutTouches)
        val tree = session.currentTree()
        assertTrue("the bubble's window is still drawn", tree.nodes.any { it.parent == 0u && tree.classes[it.classIndex.toInt()] == View::class.java.name })
        activity.windowManager.removeView(bubble)
        activity.windowManager.removeView(toastLike)
    }

    private fun storedRecords(session: String): List<JSONObject> {
        val segments = collector.inspect(session).getJSONArray("sessions").getJSONObject(0).getJSONArray("segments")
        return segments.objects().flatMap { it.getJSONArray("records").objects() }
    }

    private companion object {
        const val ITEM = "Archive conversation"
    }
}
