package dev.reprise

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.io.File

/** The records form and the compact buffer describe the same snapshot. */
class SnapshotEncodingTest {
    @Test
    fun `both encodings of the real screens record the same thing`(@TempDir dir: File) {
        val screens = Fixtures.screens(4)
        val stats = SnapshotEncoding.entries.map { encoding ->
            Reprise.start(RepriseConfig(File(dir, encoding.name), snapshotEncoding = encoding), Fixtures.metadata(), 1_763_000_000_000L).use { r ->
                screens.forEachIndexed { i, s ->
                    r.snapshot(s.tree, 1_763_000_000_000L + 1000L * i)
                    r.snapshot(s.tree, 1_763_000_000_000L + 1000L * i + 500)
                }
                r.flushBlocking()
                r.stats
            }
        }
        assertEquals(stats[0].copy(compressedBytes = 0u), stats[1].copy(compressedBytes = 0u))
        assertEquals(stats[0].compressedBytes, stats[1].compressedBytes)
        assertEquals(8uL, stats[0].snapshots)
        assertEquals(4uL, stats[0].unchangedSnapshots)
    }
}
