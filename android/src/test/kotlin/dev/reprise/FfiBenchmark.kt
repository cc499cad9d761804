package dev.reprise

import dev.reprise.ffi.ViewTree
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.condition.EnabledIfSystemProperty
import org.junit.jupiter.api.io.TempDir
import java.io.File

/**
 * The cost of one FFI call from Kotlin on the JVM: a 500-node snapshot (records form, buffer
 * form with packing, buffer form pre-packed) and a 32-sample touch batch. Median over many
 * calls after a warm-up. Run by scripts/bench-kotlin.sh (-Dreprise.bench=true); skipped in the
 * test suite.
 */
@EnabledIfSystemProperty(named = "reprise.bench", matches = "true")
class FfiBenchmark {
    private val warmup = 1_000
    private val calls = 5_000

    private fun measure(name: String, block: (Int) -> Unit): Double {
        repeat(warmup) { block(it) }
        val times = LongArray(calls)
        for (i in 0 until calls) {
            val start = System.nanoTime()
            block(warmup + i)
            times[i] = System.nanoTime() - start
        }
        times.sort()
        val median = times[calls / 2] / 1000.0
        val p90 = times[calls * 9 / 10] / 1000.0
        println(String.format("FFI-BENCH %-44s median %8.1f us   p90 %8.1f us   (%d calls)", name, median, p90, calls))
        return median
    }

    @Test
    fun `ffi call costs`(@TempDir dir: File) {
        // Scrolling frames so that every call is a real change (no unchanged-snapshot shortcut).
        val trees: List<ViewTree> = (0 until 32).map { Fixtures.feed(500, offset = it * 7f) }
        check(trees.all { it.nodes.size == 500 })
        val packed = trees.map { SnapshotBuffer.pack(it) }
        val t0 = System.currentTimeMillis()
        for (encoding in SnapshotEncoding.entries) {
            Reprise.start(RepriseConfig(File(dir, encoding.name), snapshotEncoding = encoding), Fixtures.metadata(), t0).use { r ->
                measure("500-node snapshot, ${encoding.name.lowercase()} form") { i -> r.snapshot(trees[i % 32], t0 + i * 16L) }
            }
        }
        Reprise.start(RepriseConfig(File(dir, "packed")), Fixtures.metadata(), t0).use { r ->
            measure("500-node snapshot, buffer pre-packed") { i -> r.snapshotBuffer(packed[i % 32], t0 + i * 16L) }
            measure("pack 500 nodes into the buffer (Kotlin only)") { i -> SnapshotBuffer.pack(trees[i % 32]) }
        }
        Reprise.start(RepriseConfig(File(dir, "touches")), Fixtures.metadata(), t0).use { r ->
            // One long two-finger drag: down, then a frame of 32 coalesced moves per call.
            r.touches(Fixtures.pinch(t0, 500f, 900f, 200f, 200f, frames = 0).take(2).flatten())
            val batches = (0 until warmup + calls).map { Fixtures.touchBatch(t0 + 16L * (it + 1)) }
            measure("32-sample touch batch") { i -> r.touches(batches[i]) }
        }
    }
}
