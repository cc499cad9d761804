package dev.reprise.android

import android.app.Application
import android.os.Build
import android.os.Looper
import dev.reprise.Collector
import dev.reprise.Reprise
import dev.reprise.RepriseConfig
import dev.reprise.UploadOptions
import dev.reprise.start
import org.json.JSONObject
import org.junit.AfterClass
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.BeforeClass
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.shadows.ShadowBuild
import java.io.File
import java.nio.file.Files
import java.time.Duration

/**
 * The whole Android layer under Robolectric (real framework code): the sample app started with
 * the one-liner, real MotionEvents through the decor views, a dialog, a rotation, a crash and a
 * freeze; the session goes to the real collector on loopback and is read back.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35], qualifiers = "en-rGB-w411dp-h891dp-port-xxhdpi")
class SampleAppSessionTest {
    companion object {
        private lateinit var collector: Collector

        @BeforeClass @JvmStatic
        fun startCollector() {
            collector = Collector()
        }

        @AfterClass @JvmStatic
        fun stopCollector() = collector.close()
    }

    private fun idle(ms: Long = 300) = shadowOf(Looper.getMainLooper()).idleFor(Duration.ofMillis(ms))

    private fun records(session: String): List<JSONObject> {
        val sessions = collector.inspect(session).getJSONArray("sessions")
        assertEquals(1, sessions.length())
        val segments = sessions.getJSONObject(0).getJSONArray("segments")
        return (0 until segments.length()).flatMap { i ->
            val seg = segments.getJSONObject(i)
            assertFalse("segment does not decode: ${seg.opt("error")}", seg.has("error"))
            val r = seg.getJSONArray("records")
            (0 until r.length()).map { r.getJSONObject(it) }
        }
    }

    @Test
    fun `the sample app records itself (touches, views, dialog, rotation, crash, metadata)`() {
        ShadowBuild.setManufacturer("Google")
        ShadowBuild.setModel("Pixel 9 (Robolectric)")
        val app = RuntimeEnvironment.getApplication() as Application
        shadowOf(app.packageManager).getInternalMutablePackageInfo(app.packageName).apply {
            versionName = "3.1.4"
            longVersionCode = 314
        }
        val dataDir = Files.createTempDirectory("reprise-android").toFile()
        val config = RepriseConfig(dataDir = dataDir.path, upload = UploadOptions(collector.endpoint, collector.apiKey, initialBackoffMs = 100u))
        val reprise = Reprise.start(app, config)
        val sessionId = reprise.sessionId
        try {
            val controller = Robolectric.buildActivity(SampleActivity::class.java).setup()
            val activity = controller.get()
            idle()
            val touches = Touches(activity.window.decorView)

            // A tap on the button: delivered unchanged (the click happens) and recorded.
            val (bx, by) = centreInWindow(activity.signIn)
            touches.tap(bx, by)
            idle(0)
            assertEquals("the click reached the app", 1, activity.clicks)
            idle()

            // A drag with batched history scrolls the list.
            val (lx, ly) = centreInWindow(activity.list)
            touches.drag(lx, ly + 250, ly - 350)
            assertTrue("the list scrolled (scrollY ${activity.list.scrollY})", activity.list.scrollY > 200)
            val scrolled = activity.list.scrollY
            idle()

            touches.pinch(lx, ly, 150f, 600f)
            idle()

            // A dialog above the activity; a tap on its button.
            val dialog = activity.openDialog()
            idle()
            val ok = dialog.getButton(android.app.AlertDialog.BUTTON_POSITIVE)
            val (ox, oy) = centreInWindow(ok)
            Touches(dialog.window!!.decorView).tap(ox, oy)
            idle(0)
            assertEquals("the dialog's click reached the app", 1, activity.dialogClicks)
            idle()

            // A rotation.
            RuntimeEnvironment.setQualifiers("+land")
            controller.configurationChange(app.resources.configuration)
            // Robolectric recreates the activity but does not add its new window (on a device,
            // handleResumeActivity does): make it visible as the system would.
            controller.visible()
            idle(600)
            val session = AndroidSession.current!!
            assertEquals("no failed capture: ${session.lastCaptureError}", 0, session.captureFailures)
            val landscapeWidth = app.resources.displayMetrics.widthPixels

            // A freeze of the main thread: 2.6 s without running its queue.
            Thread.sleep(2_600)
            idle()

            // A crash on a worker thread: the handler persists the open segment before returning.
            val queue = File(dataDir, "reprise/queue")
            val before = queue.walkTopDown().count { it.isFile }
            Thread { throw IllegalStateException("checkout failed") }.apply { start(); join() }
            val after = queue.walkTopDown().count { it.isFile }
            assertTrue("the crash persisted a segment synchronously ($before -> $after files)", after > before)

            assertEquals("everything uploaded", 0L, kotlinx.coroutines.runBlocking { reprise.flushAndUpload(kotlin.time.Duration.parse("20s")) })

            val records = records(sessionId)
            val everything = records.joinToString("\n")
            File(System.getProperty("java.io.tmpdir"), "reprise-android-session.json").writeText(everything)

            // Metadata equal to what the shadows say.
            val metrics = app.resources.displayMetrics
            val meta = records.first { it.getString("kind") == "Session" }.getJSONObject("record").getJSONObject("Session").getJSONObject("metadata")
            assertEquals("Pixel 9 (Robolectric)", meta.getString("device_model"))
            assertEquals("Google", meta.getString("device_manufacturer"))
            assertEquals(Build.VERSION.RELEASE, meta.getString("os_version"))
            assertEquals("3.1.4", meta.getString("app_version"))
            assertEquals("314", meta.getString("app_build"))
            assertEquals(app.packageName, meta.getString("app_id"))
            assertEquals("en-GB", meta.getString("locale"))
            assertEquals(411 * 3, meta.getInt("screen_width_px"))
            assertEquals(metrics.density.toDouble(), meta.getDouble("density"), 1e-6)
            assertEquals(java.util.TimeZone.getDefault().id, meta.getString("time_zone"))

            // Privacy: no password, masked text or hidden text in what the collector stored.
            for (secret in listOf(SampleActivity.PASSWORD, SampleActivity.TOOLBAR_TITLE, SampleActivity.USER_NAME,
                SampleActivity.HIDDEN_TEXT, SampleActivity.ROW_PREFIX, SampleActivity.SIGN_IN)) {
                assertFalse("'$secret' reached the collector", secret in everything)
            }
            assertTrue("the unmasked text is stored", SampleActivity.UNMASKED_TEXT in everything)
            assertTrue("the dialog's unmasked button is stored", SampleActivity.DIALOG_OK in everything)

            val kinds = records.map { it.getString("kind") }.toSet()
            for (k in listOf("Keyframe", "ScreenView", "Touches", "Gesture", "Lifecycle", "Viewport", "Breadcrumb", "Custom")) {
                assertTrue("no $k record in $kinds", k in kinds)
            }
            assertTrue("a landscape viewport of $landscapeWidth px", records.any { it.getString("kind") == "Viewport" && it.toString().contains("Landscape") })
            assertTrue("the crash is recorded", "checkout failed" in everything && "IllegalStateException" in everything)
            assertTrue("the crash is marked for the collector's analysis",
                records.any { it.getString("kind") == "Custom" && it.toString().contains("\"${CrashRecorder.CRASH_EVENT}\"") })
            assertTrue("the freeze is recorded", records.any { it.getString("kind") == "Custom" && it.toString().contains("freeze") })
            // Gestures recognised in the core, with the targets the snapshots gave them.
            val stored = StoredSession(records)
            val taps = stored.gestures("Tap")
            assertEquals("two taps in ${stored.ofKind("Gesture")}", 2, taps.size)
            val signInTarget = taps[0].getJSONObject("target")
            assertEquals("Button", signInTarget.getString("kind"))
            assertTrue(signInTarget.getBoolean("interactive"))
            assertEquals("android.widget.Button", stored.className(signInTarget.getInt("id")))
            val scroll = stored.gestures("Scroll").single()
            val scrollTarget = scroll.getJSONObject("target").getInt("id")
            assertEquals("android.widget.ScrollView", stored.className(scrollTarget))
            assertTrue("an upward drag", scroll.getJSONObject("kind").getJSONObject("Scroll").getInt("dy") < -100)
            val scrollDiffs = stored.ofKind("Diff").flatMap { (it as JSONObject).getJSONArray("changed").objects() }
                .filter { it.getInt("id") == scrollTarget }.map { it.getJSONArray("fields").toString() }
            val scrolledDp = Math.round(scrolled / metrics.density)
            assertTrue("the scroll offset $scrolledDp dp in $scrollDiffs", scrollDiffs.any { it.contains("[0,$scrolledDp]") })
            val pinch = stored.gestures("Pinch").single().getJSONObject("kind").getJSONObject("Pinch")
            assertTrue("a spreading pinch: $pinch", pinch.getDouble("scale") > 2.0)
            // The tap on the dialog hit the dialog's button, in a window above the activity's.
            val okTarget = taps[1].getJSONObject("target")
            assertEquals(SampleActivity.DIALOG_OK, okTarget.getJSONObject("label").getString("Plain"))
            assertEquals("android.widget.Button", stored.className(okTarget.getInt("id")))
            val dialogWindow = stored.windowOf(okTarget.getInt("id"))
            val activityWindow = stored.windowOf(signInTarget.getInt("id"))
            assertTrue("the dialog's window is another one", dialogWindow != activityWindow)
            assertEquals("com.android.internal.policy.DecorView", stored.className(dialogWindow))
            assertTrue("a frame with the dialog above the activity", records.any { r ->
                r.getString("kind") == "Diff" && r.getJSONObject("record").getJSONObject("Diff").getJSONArray("children").objects()
                    .any { it.getInt("parent") == StoredSession.SCREEN && it.getJSONArray("ids").toString() == "[$activityWindow,$dialogWindow]" }
            })
            // After the rotation: a landscape keyframe of the recreated activity.
            val lastKeyframe = stored.ofKind("Keyframe").last() as JSONObject
            val screen = lastKeyframe.getJSONArray("nodes").getJSONObject(0).getJSONObject("props")
            assertEquals("the last keyframe is landscape", Math.round(landscapeWidth / metrics.density), screen.getInt("width"))
        } finally {
            reprise.close()
        }
    }
}
