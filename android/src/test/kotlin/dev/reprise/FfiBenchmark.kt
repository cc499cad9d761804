package dev.reprise

import org.junit.jupiter.api.Test
import org.junit.jupiter.api.condition.EnabledIfSystemProperty
import org.junit.jupiter.api.io.TempDir
import java.io.File

/**
 * The cost of one FFI call from Kotlin on the JVM: a 500-node snapshot and a 32-sample touch
 * batch. Median over many calls after a warm-up; the two are measured in interleaved rounds (each
 * round flushes first) so that JIT warm-up and the recorder worker's backlog favour neither.
 * Run by scripts/bench-kotlin.sh (-Dreprise.bench=true); skipped in the test suite.
 */
@EnabledIfSystemProperty(named = "reprise.bench", matches = "true")
class FfiBenchmark {
    private val rounds = 10
    private val perRound = 500

    private class Series(val name: String) {
        val times = ArrayList<Long>()
        fun report() {
            val sorted = times.sorted()
            val median = sorted[sorted.size / 2] / 1000.0
            val p90 = sorted[sorted.size * 9 / 10] / 1000.0
            println(String.format("FFI-BENCH %-46s median %7.1f us   p90 %7.1f us   (%d calls)", name, median, p90, sorted.size))
        }
    }

    private fun run(series: Series?, calls: Int, from: Int, block: (Int) -> Unit) {
        for (i in from until from + calls) {
            val start = System.nanoTime()
            block(i)
            val elapsed = System.nanoTime() - start
            series?.times?.add(elapsed)
        }
    }

    @Test
    fun `ffi call costs`(@TempDir dir: File) {
        // Scrolling frames so that every call is a real change (no unchanged-snapshot shortcut).
        val trees: List<ViewTree> = (0 until 32).map { Fixtures.feed(500, offset = it * 7f) }
        check(trees.all { it.nodes.size == 500 })
        val t0 = System.currentTimeMillis()
        val records = Reprise.start(RepriseConfig(File(dir, "records").path), Fixtures.metadata(), t0)
        val touches = Reprise.start(RepriseConfig(File(dir, "touches").path), Fixtures.metadata(), t0)
        val variants = listOf(
            Series("500-node snapshot") to { i: Int -> records.snapshot(trees[i % 32], t0 + i * 16L) },
        )
        // One long two-finger drag: down, then a frame of 32 coalesced moves per call.
        touches.touches(Fixtures.pinch(t0, 500f, 900f, 200f, 200f, frames = 0).take(2).flatten())
        val batches = (0 until (rounds + 1) * perRound).map { Fixtures.touchBatch(t0 + 16L * (it + 1)) }
        val touchSeries = Series("32-sample touch batch")

        var n = 0
        for (round in 0..rounds) {
            val keep = round > 0 // round 0 warms up
            for ((series, block) in variants) {
                records.flushBlocking()
                run(series.takeIf { keep }, perRound, n, block)
                n += perRound
            }
            run(touchSeries.takeIf { keep }, perRound, round * perRound) { i -> touches.touches(batches[i]) }
        }
        variants.forEach { it.first.report() }
        touchSeries.report()
        listOf(records, touches).forEach { it.close() }
    }
}
