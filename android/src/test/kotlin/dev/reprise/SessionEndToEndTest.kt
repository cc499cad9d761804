package dev.reprise

import kotlinx.coroutines.runBlocking
import org.json.JSONObject
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.net.HttpURLConnection
import java.net.URI
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration.Companion.seconds

/** Records full sessions through the facade, uploads them to the real collector, reads them back. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionEndToEndTest {
    private lateinit var collector: Collector

    @BeforeAll
    fun startCollector() {
        collector = Collector()
    }

    @AfterAll
    fun stopCollector() = collector.close()

    private fun records(session: String): List<JSONObject> {
        val sessions = collector.inspect(session).getJSONArray("sessions")
        assertEquals(1, sessions.length())
        val segments = sessions.getJSONObject(0).getJSONArray("segments")
        assertTrue(segments.length() > 0, "no segments stored")
        return (0 until segments.length()).flatMap { i ->
            val seg = segments.getJSONObject(i)
            assertFalse(seg.has("error"), "segment ${seg.opt("sequence")} does not decode: ${seg.opt("error")}")
            val r = seg.getJSONArray("records")
            (0 until r.length()).map { r.getJSONObject(it) }
        }
    }

    @Test
    fun `a full session from real screens is uploaded, masked, with its gestures and metadata`(@TempDir dir: File) = runBlocking {
        val screens = Fixtures.screens(3)
        val secrets = screens.flatMap { it.texts }.filter { it.trim().length >= 6 }.distinct()
        assertTrue(secrets.size >= 5, "the fixture screens should carry text to mask")

        val t0 = System.currentTimeMillis()
        val config = RepriseConfig(dir.path, upload = UploadOptions(collector.endpoint, collector.apiKey, initialBackoffMs = 100u))
        val session: String
        Reprise.start(config, Fixtures.metadata(), t0).use { reprise ->
            session = reprise.sessionId
            reprise.userId = "user-42"
            reprise.setAttribute("plan", "pro")
            reprise.lifecycle(Lifecycle.FOREGROUND, t0 + 1)
            var t = t0 + 10
            for ((i, screen) in screens.withIndex()) {
                reprise.screenView("screen-$i", t)
                reprise.snapshot(screen.tree, t + 5)
                // The same screen again: an unchanged snapshot costs nothing.
                reprise.snapshot(screen.tree, t + 500)
                when (i) {
                    0 -> Fixtures.tap(t + 600, 700f, 1200f).forEach(reprise::touches)
                    1 -> Fixtures.scroll(t + 600, 720f, 1800f, -900f).forEach(reprise::touches)
                    2 -> Fixtures.pinch(t + 600, 720f, 1200f, 200f, 700f).forEach(reprise::touches)
                }
                t += 2_000
            }
            reprise.event("checkout", mapOf("items" to 3, "total" to 9.99, "express" to true), t)
            reprise.breadcrumb("cart opened", LogLevel.INFO, t + 10)
            reprise.network(NetworkRequest("GET", "https://api.example.com/cart?token=secret", 200u, 120u, null, 2048u), t + 20)
            reprise.connectivity(NetworkType.CELLULAR, t + 30)
            reprise.lifecycle(Lifecycle.BACKGROUND, t + 40)
            assertEquals(0L, reprise.flushAndUpload(20.seconds), "everything uploaded")
            val stats = reprise.stats
            assertEquals(0uL, stats.droppedOverload)
            assertEquals(0uL, stats.droppedInvalidSnapshots)
            assertTrue(stats.uploadedSegments >= 1uL)
        }

        val records = records(session)
        val kinds = records.map { it.getString("kind") }.toSet()
        for (k in listOf("Session", "Keyframe", "ScreenView", "Touches", "Gesture", "Custom", "Breadcrumb", "Network", "Connectivity", "Lifecycle")) {
            assertTrue(k in kinds, "no $k record in $kinds")
        }

        // Metadata.
        val meta = records.first { it.getString("kind") == "Session" }.getJSONObject("record").getJSONObject("Session").getJSONObject("metadata")
        assertEquals("Pixel 8 (JVM test)", meta.getString("device_model"))
        assertEquals("Android", meta.getString("platform"))
        assertEquals("14", meta.getString("os_version"))
        assertEquals("1.2.3", meta.getString("app_version"))
        assertEquals("dev.reprise.demo", meta.getString("app_id"))
        val everything = records.joinToString("\n")
        assertTrue("user-42" in everything, "the user id was stored")

        // Gestures recognized in the core from the raw touches.
        val gestures = records.filter { it.getString("kind") == "Gesture" }.map { it.getJSONObject("record").getJSONObject("Gesture").get("kind") }
        assertTrue(gestures.any { it == "Tap" }, "a tap in $gestures")
        val scroll = gestures.filterIsInstance<JSONObject>().firstOrNull { it.has("Scroll") }?.getJSONObject("Scroll")
        assertTrue(scroll != null && scroll.getInt("dy") < -100, "an upward scroll in $gestures")
        val pinch = gestures.filterIsInstance<JSONObject>().firstOrNull { it.has("Pinch") }?.getJSONObject("Pinch")
        assertTrue(pinch != null && pinch.getDouble("scale") > 2.0, "a spreading pinch in $gestures")

        // Custom event with its attributes.
        val custom = records.first { it.getString("kind") == "Custom" }.getJSONObject("record").getJSONObject("Custom")
        assertEquals("checkout", custom.getString("name"))
        assertTrue(custom.getJSONArray("attributes").toString().contains("9.99"))

        // Masking: no text of the real screens reached the collector; the URL lost its query.
        for (secret in secrets) assertFalse(secret in everything, "unmasked text reached the collector: '$secret'")
        assertFalse("token=secret" in everything)
        assertTrue(records.count { it.getString("kind") == "Keyframe" } >= 3, "a keyframe per screen")
    }

    /** The platform transport: uploads go through Kotlin's HTTP stack instead of the core's. */
    class UrlConnectionTransport : HttpTransport {
        val calls = AtomicInteger()
        override fun send(request: HttpRequest): HttpResponse {
            calls.incrementAndGet()
            val c = URI(request.url).toURL().openConnection() as HttpURLConnection
            c.requestMethod = "POST"
            c.doOutput = true
            for (h in request.headers) c.setRequestProperty(h.name, h.value)
            c.outputStream.use { it.write(request.body) }
            val status = c.responseCode
            (if (status < 400) c.inputStream else c.errorStream)?.use { it.readBytes() }
            return HttpResponse(status.toUShort(), c.getHeaderField("Retry-After")?.toULongOrNull())
        }
    }

    @Test
    fun `a Kotlin transport carries the uploads, and a throwing one is retried, not fatal`(@TempDir dir: File) = runBlocking {
        val failing = object : HttpTransport {
            val calls = AtomicInteger()
            override fun send(request: HttpRequest): HttpResponse {
                calls.incrementAndGet()
                if (calls.get() % 2 == 1) throw TransportException("airplane mode")
                throw IllegalStateException("a bug in the app's HTTP stack")
            }
        }
        val t0 = System.currentTimeMillis()
        val base = RepriseConfig(dir.path, upload = UploadOptions(collector.endpoint, collector.apiKey, initialBackoffMs = 50u, maxBackoffMs = 100u))
        Reprise.start(base, Fixtures.metadata(), t0, transport = failing).use { reprise ->
            reprise.screenView("offline", t0 + 1)
            assertTrue(reprise.flushAndUpload(1.seconds) >= 1, "nothing could be delivered")
            assertTrue(failing.calls.get() >= 2, "retried after the failures")
        }
        // Next start: the queued segment goes out through a working Kotlin transport.
        val transport = UrlConnectionTransport()
        val session: String
        Reprise.start(base, Fixtures.metadata(), t0 + 5_000, transport = transport).use { reprise ->
            session = reprise.sessionId
            reprise.screenView("online", t0 + 5_001)
            assertEquals(0L, reprise.flushAndUpload(20.seconds))
        }
        assertTrue(transport.calls.get() >= 2, "both sessions' segments went through the Kotlin transport")
        assertTrue(records(session).any { it.getString("kind") == "ScreenView" && it.getJSONObject("record").getString("ScreenView") == "online" })
    }

    @Test
    fun `many threads recording at once lose nothing`(@TempDir dir: File) = runBlocking {
        val threads = 8
        val perThread = 300
        val t0 = System.currentTimeMillis()
        val config = RepriseConfig(dir.path, upload = UploadOptions(collector.endpoint, collector.apiKey, initialBackoffMs = 100u))
        val session: String
        Reprise.start(config, Fixtures.metadata(), t0).use { reprise ->
            session = reprise.sessionId
            val tree = Fixtures.feed(100)
            val errors = java.util.concurrent.ConcurrentLinkedQueue<Throwable>()
            val workers = (0 until threads).map { th ->
                Thread {
                    try {
                        for (i in 0 until perThread) {
                            reprise.event("thread-event", mapOf("thread" to th, "i" to i), t0 + i)
                            if (i % 50 == 0) reprise.snapshot(tree, t0 + i)
                            if (i % 30 == 0) reprise.touches(Fixtures.touchBatch(t0 + i))
                        }
                    } catch (e: Throwable) {
                        errors += e
                    }
                }.apply { start() }
            }
            workers.forEach { it.join() }
            assertTrue(errors.isEmpty(), "errors: $errors")
            assertEquals(0L, reprise.flushAndUpload(30.seconds))
            val stats = reprise.stats
            assertEquals(0uL, stats.droppedOverload)
            assertEquals(0uL, stats.droppedInternal)
        }
        val custom = records(session).filter { it.getString("kind") == "Custom" }.map { it.getJSONObject("record").getJSONObject("Custom") }
        assertEquals(threads * perThread, custom.size, "every custom event stored")
        assertEquals(threads * perThread, custom.map { it.getJSONArray("attributes").toString() }.toSet().size, "no duplicates")
    }
}
