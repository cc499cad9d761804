package dev.reprise.android

import android.app.ActivityManager
import android.app.Application
import android.app.ApplicationExitInfo
import android.os.Looper
import dev.reprise.Collector
import dev.reprise.Reprise
import dev.reprise.RepriseConfig
import dev.reprise.UploadOptions
import dev.reprise.current
import dev.reprise.start
import kotlinx.coroutines.runBlocking
import org.json.JSONObject
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.shadows.ShadowActivityManager.ApplicationExitInfoBuilder
import java.io.File
import java.nio.file.Files
import java.time.Duration
import kotlin.time.Duration.Companion.seconds

/**
 * How sessions end where Android says so: the previous process's exit reason (Android 11+,
 * Robolectric's ShadowActivityManager holding the ApplicationExitInfo the system would), and the
 * last activity finishing for good; sessions read back from the real collector.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class TerminationTest {
    private val collector = Collector()
    private val app = RuntimeEnvironment.getApplication() as Application
    private val dataDir: File = Files.createTempDirectory("reprise-exit").toFile()
    private val config = RepriseConfig(dataDir = dataDir.path, upload = UploadOptions(collector.endpoint, collector.apiKey, initialBackoffMs = 100u))

    @After
    fun close() {
        Reprise.current?.close()
        collector.close()
    }

    private fun exit(reason: Int, timestamp: Long, session: String? = null, description: String? = null): ApplicationExitInfo =
        ApplicationExitInfoBuilder.newBuilder()
            .setReason(reason).setTimestamp(timestamp).setPid(4242).setProcessName(app.packageName).setStatus(0)
            .setImportance(ActivityManager.RunningAppProcessInfo.IMPORTANCE_FOREGROUND)
            .setPss(81_920).setRss(163_840)
            .apply { if (description != null) setDescription(description) }
            .apply { if (session != null) setProcessStateSummary(PreviousExit.summaryOf(session)) }
            .build()

    /** The attributes of each `previous_exit` event the collector stored for [session]. */
    private fun exitEvents(session: String): List<Map<String, Any>> = records(session)
        .filter { it.getString("kind") == "Custom" }
        .map { it.getJSONObject("record").getJSONObject("Custom") }
        .filter { it.getString("name") == PreviousExit.EVENT }
        .map { e ->
            e.getJSONArray("attributes").let { a ->
                (0 until a.length()).associate { i ->
                    val pair = a.getJSONArray(i)
                    val value = pair.getJSONObject(1)
                    pair.getString(0) to value.get(value.keys().next())
                }
            }
        }

    private fun records(session: String): List<JSONObject> {
        val sessions = collector.inspect(session).getJSONArray("sessions")
        if (sessions.length() == 0) return emptyList()
        return sessions.getJSONObject(0).getJSONArray("segments").objects().flatMap { it.optJSONArray("records")?.objects().orEmpty() }
    }

    private fun startAndUpload(): String {
        val reprise = Reprise.start(app, config)
        val id = reprise.sessionId
        assertEquals(0L, runBlocking { reprise.flushAndUpload(20.seconds) })
        reprise.close()
        return id
    }

    @Test
    fun `the previous process's exit is recorded once in the next session, naming the session it ended`() {
        val activityManager = shadowOf(app.getSystemService(ActivityManager::class.java))
        val previous = "01936f6e-0000-7000-8000-00000000abcd"
        // Before the SDK was installed: no summary of ours, not reported.
        activityManager.addApplicationExitInfo(exit(ApplicationExitInfo.REASON_LOW_MEMORY, 1_000))
        activityManager.addApplicationExitInfo(exit(ApplicationExitInfo.REASON_CRASH, 2_000, previous, "java.lang.IllegalStateException"))

        val first = startAndUpload()
        val crash = exitEvents(first).single()
        assertEquals("crash", crash["reason"])
        assertEquals(previous, crash["previous_session"])
        assertEquals(2_000, (crash["exit_time_ms"] as Number).toLong())
        assertEquals("java.lang.IllegalStateException", crash["description"])
        assertEquals(app.packageName, crash["process"])
        assertEquals(81_920, (crash["pss_kb"] as Number).toLong())

        // The next start: the crash is not reported again; an ANR since then is (with no summary:
        // its process did not leave one).
        activityManager.addApplicationExitInfo(exit(ApplicationExitInfo.REASON_ANR, 3_000))
        val second = startAndUpload()
        val anr = exitEvents(second).single()
        assertEquals("anr", anr["reason"])
        assertFalse("previous_session" in anr)
        assertEquals("3000", File(dataDir, PreviousExit.MARKER).readText())

        // And a start with nothing new records nothing.
        assertTrue(exitEvents(startAndUpload()).isEmpty())
    }

    @Test
    fun `the last activity finishing ends the segment and uploads it, a rotation does not`() {
        val reprise = Reprise.start(app, config)
        val controller = Robolectric.buildActivity(SampleActivity::class.java).setup()
        shadowOf(Looper.getMainLooper()).idleFor(Duration.ofMillis(300))
        RuntimeEnvironment.setQualifiers("+land")
        controller.configurationChange(app.resources.configuration)
        shadowOf(Looper.getMainLooper()).idleFor(Duration.ofMillis(300))
        assertEquals(0L, runBlocking { reprise.flushAndUpload(20.seconds) })
        fun lifecycles() = records(reprise.sessionId).filter { it.getString("kind") == "Lifecycle" }.map { it.getJSONObject("record").getString("Lifecycle") }
        assertFalse("a rotation is no termination: ${lifecycles()}", "Terminate" in lifecycles())

        controller.get().finish()
        controller.pause().stop().destroy()
        // No flush by the app: the termination seals the segment and the uploader sends it.
        val deadline = System.nanoTime() + 20_000_000_000L
        while ("Terminate" !in lifecycles() && System.nanoTime() < deadline) Thread.sleep(100)
        val seen = lifecycles()
        assertTrue("terminated and uploaded by itself: $seen", "Terminate" in seen)
        assertEquals("after the background", listOf("Background", "Terminate"), seen.takeLast(2))
    }
}
