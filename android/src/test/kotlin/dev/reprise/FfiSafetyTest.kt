package dev.reprise

import dev.reprise.internal.ffi.diagnosticPanic
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.util.concurrent.ConcurrentLinkedQueue
import dev.reprise.internal.ffi.Reprise as NativeReprise

/** Errors cross the FFI as typed exceptions; objects are freed when closed. */
class FfiSafetyTest {
    private val t0 = 1_763_000_000_000L

    @Test
    fun `a panic inside the SDK is a typed exception, not a crash`() {
        val e = assertThrows(InternalException::class.java) { diagnosticPanic("boom") }
        assertTrue("boom" in e.message!!)
        // The library goes on working.
        assertTrue(Reprise.nativeVersion.isNotEmpty())
    }

    @Test
    fun `a view tree round-trips through the core's JSON, and bad JSON is a typed exception`() {
        val screen = Fixtures.screens(1).single()
        assertEquals(screen.tree, viewTreeFromJson(screen.tree.toJson()))
        val feed = Fixtures.feed(10)
        assertEquals(feed, viewTreeFromJson(feed.toJson()))
        assertThrows(ViewTreeJsonException::class.java) { viewTreeFromJson("{") }
        assertThrows(ViewTreeJsonException::class.java) { viewTreeFromJson(feed.toJson().replace("\"nodes\"", "\"nodez\"")) }
    }

    @Test
    fun `bad input is refused with typed exceptions and the session goes on`(@TempDir dir: File) {
        Reprise.start(RepriseConfig(dir.path), Fixtures.metadata(), t0).use { reprise ->
            // A child before its parent, and an empty tree.
            val tree = Fixtures.feed(10)
            val cyclic = tree.copy(nodes = tree.nodes.mapIndexed { i, n -> if (i == 1) n.copy(parent = 5u) else n })
            assertThrows(InvalidSnapshotException::class.java) { reprise.snapshot(cyclic, t0 + 4) }
            assertThrows(InvalidSnapshotException::class.java) { reprise.snapshot(tree.copy(nodes = emptyList()), t0 + 5) }
            // NaN bounds are corrected and counted, not fatal.
            reprise.snapshot(tree.copy(nodes = tree.nodes.map { it.copy(bounds = PxRect(Float.NaN, 0f, -5f, Float.POSITIVE_INFINITY)) }), t0 + 6)
            reprise.screenView("still recording", t0 + 7)
            reprise.flushBlocking()
            assertTrue(reprise.stats.events >= 2uL)
        }
    }

    @Test
    fun `an invalid configuration is a typed exception`(@TempDir dir: File) {
        assertThrows(ConfigException::class.java) { Reprise.start(RepriseConfig(dir.path, sampleRate = 2.0), Fixtures.metadata(), t0) }
        assertThrows(ConfigException::class.java) {
            Reprise.start(RepriseConfig(dir.path, upload = UploadOptions("http://collector.example.com", "k")), Fixtures.metadata(), t0)
        }
        assertThrows(ConfigException::class.java) { Reprise.start(RepriseConfig(dir.path, keyframeIntervalMs = 1u), Fixtures.metadata(), t0) }
    }

    @Test
    fun `a stopped SDK says so, and a closed object cannot be used`(@TempDir dir: File) {
        val facade = Reprise.start(RepriseConfig(dir.path), Fixtures.metadata(), t0)
        facade.close()
        facade.close() // idempotent
        assertThrows(IllegalStateException::class.java) { facade.screenView("after close", t0 + 1) }

        val config = RepriseConfig(dir.path, maxQueueBytes = 1_000_000u, maxQueueAgeMs = 60_000u)
        val native = NativeReprise.start(config, Fixtures.metadata(), t0, null, null)
        // The native object refuses a bad tree the same way.
        val tree = Fixtures.feed(10)
        assertThrows(InvalidSnapshotException::class.java) {
            native.recordSnapshot(t0 + 1, tree.copy(nodes = tree.nodes.mapIndexed { i, n -> if (i == 1) n.copy(parent = 5u) else n }))
        }
        native.stop()
        assertThrows(StoppedException::class.java) { native.recordScreenView(t0 + 2, "after stop") }
        native.close()
    }

    @Test
    fun `close frees the native object deterministically`(@TempDir dir: File) {
        // The disk queue holds a process lock on its directory until the SDK is dropped: starting
        // again on the same directory right after close() proves the native side was freed.
        repeat(40) { i ->
            Reprise.start(RepriseConfig(dir.path), Fixtures.metadata(), t0 + i * 1000L).use { reprise ->
                reprise.screenView("round $i", t0 + i * 1000L + 1)
            }
        }
        val open = Reprise.start(RepriseConfig(dir.path), Fixtures.metadata(), t0 + 100_000)
        try {
            assertThrows(StorageException::class.java) { Reprise.start(RepriseConfig(dir.path), Fixtures.metadata(), t0 + 100_001) }
        } finally {
            open.close()
        }
        assertTrue(File(dir, "reprise/queue").listFiles()!!.count { it.name.endsWith(".seg") } >= 40, "every round's segment persisted")
    }

    @Test
    fun `pause makes record calls no-ops until resume`(@TempDir dir: File) {
        Reprise.start(RepriseConfig(dir.path), Fixtures.metadata(), t0).use { reprise ->
            reprise.screenView("a", t0 + 1)
            reprise.pause()
            assertTrue(reprise.isPaused)
            reprise.screenView("b", t0 + 2)
            reprise.snapshot(Fixtures.feed(20), t0 + 3)
            reprise.touches(Fixtures.touchBatch(t0 + 4))
            reprise.resume()
            assertFalse(reprise.isPaused)
            reprise.screenView("c", t0 + 5)
            reprise.flushBlocking()
            assertEquals(3uL, reprise.stats.ignoredPaused)
            assertEquals(2uL, reprise.stats.events)
        }
    }

    @Test
    fun `the log sink hears about starts, stops and refused input, and a throwing sink is harmless`(@TempDir dir: File) {
        val lines = ConcurrentLinkedQueue<Pair<LogLevel, String>>()
        val sink = object : LogSink {
            override fun log(level: LogLevel, message: String) {
                lines += level to message
                throw RuntimeException("a broken logger")
            }
        }
        Reprise.start(RepriseConfig(dir.path), Fixtures.metadata(), t0, logSink = sink).use { reprise ->
            assertThrows(InvalidSnapshotException::class.java) { reprise.snapshot(ViewTree(emptyList(), emptyList()), t0 + 1) }
            reprise.screenView("fine", t0 + 2)
        }
        assertTrue(lines.any { it.first == LogLevel.INFO && "started" in it.second }, "$lines")
        assertTrue(lines.any { it.first == LogLevel.WARNING && "invalid snapshot" in it.second }, "$lines")
        assertTrue(lines.any { "stopped" in it.second }, "$lines")
    }
}
