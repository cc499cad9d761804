package dev.reprise.android

import android.app.Activity
import android.app.Application
import android.os.Looper
import android.view.View
import android.view.ViewGroup.LayoutParams.MATCH_PARENT
import android.widget.FrameLayout
import android.widget.LinearLayout
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
 * `clipToPadding` end to end: a padded ViewGroup whose child reaches into its padding, captured
 * under Robolectric, stored by the real collector, and drawn by its frames API clipped to the
 * padded box; the same layout with `clipToPadding = false` is clipped to the bounds only.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class ClipToPaddingTest {
    private val collector = Collector()

    @After
    fun close() {
        Reprise.current?.close()
        collector.close()
    }

    /** A 300 x 300 px panel padded 20/40/20/40 whose child, a coloured row, is moved 30 px up into the top padding. */
    private fun panel(activity: Activity, color: Int, clipToPadding: Boolean) = FrameLayout(activity).apply {
        setPadding(20, 40, 20, 40)
        this.clipToPadding = clipToPadding
        addView(View(activity).apply { setBackgroundColor(color); translationY = -30f }, MATCH_PARENT, 100)
    }

    @Test
    fun `a padded panel's child is drawn clipped to the padded box`() {
        val app = RuntimeEnvironment.getApplication() as Application
        val config = RepriseConfig(
            dataDir = Files.createTempDirectory("reprise-clip").toFile().path,
            upload = UploadOptions(collector.endpoint, collector.apiKey, initialBackoffMs = 100u),
        )
        val reprise = Reprise.start(app, config)
        val controller = Robolectric.buildActivity(Activity::class.java).setup()
        val activity = controller.get()
        val clipped = panel(activity, CLIPPED, clipToPadding = true)
        val unclipped = panel(activity, UNCLIPPED, clipToPadding = false)
        activity.setContentView(LinearLayout(activity).apply {
            orientation = LinearLayout.VERTICAL
            addView(clipped, 300, 300)
            addView(unclipped, 300, 300)
        })
        shadowOf(Looper.getMainLooper()).idleFor(Duration.ofMillis(600))
        assertEquals(0L, runBlocking { reprise.flushAndUpload(20.seconds) })

        val scene = collector.frames(reprise.sessionId).getJSONArray("frames").objects().last()
        fun rowOp(color: Int): JSONObject = scene.getJSONArray("ops").objects()
            .single { it.getString("op") == "rect" && it.optLong("fill") == (color.toLong() and 0xFFFFFFFFL) }
        // Density 1 here: px are dp.
        val at = IntArray(2).also(clipped::getLocationOnScreen)
        val row = rowOp(CLIPPED)
        assertEquals("the row reaches 10 px into the padding", at[1] + 10.0, row.getDouble("y"), 0.5)
        val clip = row.getJSONObject("clip")
        assertEquals(listOf(at[0] + 20.0, at[1] + 40.0, 260.0, 220.0), listOf("x", "y", "w", "h").map(clip::getDouble))

        // clipToPadding off: the row shows in the padding (only the panel's bounds clip it, and it is inside them).
        val free = rowOp(UNCLIPPED)
        assertTrue("no clip on the unclipped row: $free", free.isNull("clip") || !free.has("clip"))
    }

    private companion object {
        const val CLIPPED = 0xFFE91E63.toInt()
        const val UNCLIPPED = 0xFF3F51B5.toInt()
    }
}
