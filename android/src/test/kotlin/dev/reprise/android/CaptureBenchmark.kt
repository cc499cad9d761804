package dev.reprise.android

import android.app.Activity
import android.app.Application
import android.os.Bundle
import android.os.Looper
import android.view.ViewGroup.LayoutParams.MATCH_PARENT
import android.widget.Button
import android.widget.ImageView
import android.widget.LinearLayout
import android.widget.ScrollView
import android.widget.TextView
import dev.reprise.Reprise
import dev.reprise.RepriseConfig
import dev.reprise.android.capture.MapperRegistry
import dev.reprise.android.capture.ViewWalker
import dev.reprise.start
import org.junit.Assert.assertEquals
import org.junit.Assume.assumeTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import java.nio.file.Files

/**
 * Main-thread time of one capture of a 500-view hierarchy under Robolectric: the walk alone,
 * and the walk plus the FFI call (what `AndroidSession.capture` costs the main thread). Each
 * capture follows a change (a row's text), so the core never takes its unchanged shortcut.
 * Run by scripts/bench-android.sh (-Dreprise.bench=true); skipped in the test suite.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class CaptureBenchmark {
    /** 1 scroll view, 1 column, 99 rows of a layout with a title, a subtitle, an image and a button: 497 views + the window's. */
    class FeedActivity : Activity() {
        lateinit var titles: List<TextView>

        override fun onCreate(savedInstanceState: Bundle?) {
            super.onCreate(savedInstanceState)
            val column = LinearLayout(this).apply { orientation = LinearLayout.VERTICAL }
            val t = ArrayList<TextView>()
            repeat(ROWS) { i ->
                val row = LinearLayout(this)
                row.addView(TextView(this).apply { text = "Title $i"; t += this })
                row.addView(TextView(this).apply { text = "Subtitle of row $i" })
                row.addView(ImageView(this), 60, 60)
                row.addView(Button(this).apply { text = "Follow" })
                column.addView(row, MATCH_PARENT, 120)
            }
            titles = t
            setContentView(ScrollView(this).apply { addView(column) })
        }
    }

    private fun series(name: String, times: List<Long>) {
        val sorted = times.sorted()
        println(String.format("ANDROID-BENCH %-40s median %7.1f us   p90 %7.1f us   (%d captures)",
            name, sorted[sorted.size / 2] / 1000.0, sorted[sorted.size * 9 / 10] / 1000.0, sorted.size))
    }

    @Test
    fun `main-thread capture of a 500-view hierarchy`() {
        assumeTrue("run by scripts/bench-android.sh", System.getProperty("reprise.bench") == "true")
        val app = RuntimeEnvironment.getApplication() as Application
        // No uploads, no freeze watchdog: the capture alone.
        val reprise = Reprise.start(app, RepriseConfig(dataDir = Files.createTempDirectory("reprise-bench").toFile().path),
            dev.reprise.CaptureOptions(freezeThresholdMs = 0))
        try {
            val activity = Robolectric.buildActivity(FeedActivity::class.java).setup().get()
            shadowOf(Looper.getMainLooper()).idle()
            val session = AndroidSession.current!!
            val roots = WindowRoots { emptyList() }.roots()
            val metrics = app.resources.displayMetrics
            val walker = ViewWalker(MapperRegistry(emptyList()))
            val views = walker.capture(roots, metrics.widthPixels, metrics.heightPixels).nodes.size
            println("ANDROID-BENCH hierarchy: $views nodes (the screen's root included)")
            assertEquals(true, views >= 500)
            val walk = ArrayList<Long>()
            val capture = ArrayList<Long>()
            repeat(ROUNDS) { round ->
                repeat(PER_ROUND) { i ->
                    activity.titles[i % ROWS].text = "Title $round.$i"
                    val start = System.nanoTime()
                    walker.capture(roots, metrics.widthPixels, metrics.heightPixels)
                    val elapsed = System.nanoTime() - start
                    if (round > 0) walk += elapsed
                    activity.titles[(i + 1) % ROWS].text = "Title $round.$i'"
                    session.capture()
                    if (round > 0) capture += session.lastCaptureNanos
                }
                reprise.flushBlocking()
            }
            assertEquals(0, session.captureFailures)
            series("walk only (ViewWalker)", walk)
            series("walk + FFI call (capture)", capture)
        } finally {
            reprise.close()
        }
    }

    private companion object {
        const val ROWS = 99
        const val ROUNDS = 11
        const val PER_ROUND = 200
    }
}
