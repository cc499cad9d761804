package dev.reprise

import dev.reprise.internal.ffi.Attribute
import dev.reprise.internal.ffi.AttributeValue
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import java.io.Closeable
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import dev.reprise.internal.ffi.Reprise as NativeReprise

/**
 * A running Reprise session recorder. Thread-safe: record from any thread. Every failing call
 * throws a [RepriseException] subclass; nothing crashes the app. [close] stops recording (what
 * was recorded is flushed to disk and uploaded on the next start) and frees the native object.
 *
 * ```
 * val reprise = Reprise.start(RepriseConfig(filesDir.path, upload = UploadOptions(URL, KEY)), metadata)
 * reprise.screenView("Feed")
 * reprise.snapshot(tree)
 * reprise.touches(samples)
 * reprise.close()
 * ```
 */
class Reprise private constructor(
    private val native: NativeReprise,
    val config: RepriseConfig,
) : Closeable {
    private val closed = AtomicBoolean(false)
    private val closeListeners = java.util.concurrent.CopyOnWriteArrayList<() -> Unit>()

    /** Runs [listener] once when this recorder is closed (the Android layer stops its capture). */
    internal fun onClose(listener: () -> Unit) {
        closeListeners += listener
    }

    companion object {
        /**
         * Starts recording a new session. Settings [config] leaves null take the core's defaults;
         * [transport] sends uploads with the app's HTTP stack (null: the core's built-in client) and
         * [logSink] receives the SDK's own log lines (e.g. to Logcat). Throws
         * [ConfigException] or [StorageException].
         */
        @JvmStatic
        @JvmOverloads
        fun start(
            config: RepriseConfig,
            metadata: SessionMetadata,
            nowMs: Long = System.currentTimeMillis(),
            transport: HttpTransport? = null,
            logSink: LogSink? = null,
        ): Reprise = Reprise(NativeReprise.start(config, metadata, nowMs, transport, logSink), config)

        /** The native library's version. */
        val nativeVersion: String get() = dev.reprise.internal.ffi.nativeVersion()
    }

    /** The current session's id (UUID). */
    val sessionId: String get() = native.sessionId()

    /** Counters of the recorder, queue and uploader. */
    val stats: Stats get() = native.stats()

    /** Whether recording is paused. */
    val isPaused: Boolean get() = native.isPaused()

    /** Stops recording until [resume]; record calls return at once meanwhile. */
    fun pause() = native.pause()

    /** Records again after [pause]. */
    fun resume() = native.resume()

    /** A batch of raw touch samples (one frame's worth crosses the FFI once). */
    fun touches(samples: List<TouchSample>) = native.recordTouches(samples)

    /** A view-hierarchy snapshot; masked before this returns. */
    fun snapshot(tree: ViewTree, timeMs: Long = now()) = native.recordSnapshot(timeMs, tree)

    fun screenView(name: String, timeMs: Long = now()) = native.recordScreenView(timeMs, name)

    fun lifecycle(lifecycle: Lifecycle, timeMs: Long = now()) = native.recordLifecycle(timeMs, lifecycle)

    fun connectivity(network: NetworkType, timeMs: Long = now()) = native.recordConnectivity(timeMs, network)

    fun viewport(widthPx: Int, heightPx: Int, density: Float, orientation: Orientation, timeMs: Long = now()) =
        native.recordViewport(timeMs, widthPx.toUInt(), heightPx.toUInt(), density, orientation)

    fun keyboard(visible: Boolean, heightPx: Float, timeMs: Long = now()) = native.recordKeyboard(timeMs, visible, heightPx)

    /** An app-defined event; attribute values may be String, Int, Long, Float, Double or Boolean. */
    fun event(name: String, attributes: Map<String, Any> = emptyMap(), timeMs: Long = now()) =
        native.recordCustomEvent(timeMs, name, attributes.map { (k, v) -> Attribute(k, attributeValue(v)) })

    fun breadcrumb(message: String, level: LogLevel = LogLevel.INFO, timeMs: Long = now()) =
        native.recordBreadcrumb(timeMs, level, message)

    fun network(request: NetworkRequest, timeMs: Long = now()) = native.recordNetwork(timeMs, request)

    /** The user of this session, or null. */
    var userId: String? = null
        set(value) {
            native.setUserId(value)
            field = value
        }

    fun setAttribute(key: String, value: Any) = native.setAttribute(key, attributeValue(value))

    /** Seals and persists what was recorded and starts uploading it; runs on [Dispatchers.IO]. */
    suspend fun flush(): FlushReport = withContext(Dispatchers.IO) { native.flush() }

    /** Flushes and waits up to [timeout] for the uploads; returns the segments still queued. */
    suspend fun flushAndUpload(timeout: Duration = 10.seconds): Long =
        withContext(Dispatchers.IO) { native.flushAndUpload(timeout.inWholeMilliseconds.toULong()).toLong() }

    /** [flush] for callers without coroutines (blocks: not on the main thread). */
    fun flushBlocking(): FlushReport = native.flush()

    /** Stops recording (flushing to disk) and frees the native object. Idempotent. */
    override fun close() {
        if (closed.compareAndSet(false, true)) {
            closeListeners.forEach { runCatching(it) }
            try {
                native.stop()
            } finally {
                native.close()
            }
        }
    }

    private fun now() = System.currentTimeMillis()
}

internal fun attributeValue(v: Any): AttributeValue = when (v) {
    is String -> AttributeValue.Text(v)
    is Int -> AttributeValue.Int(v.toLong())
    is Long -> AttributeValue.Int(v)
    is Float -> AttributeValue.Float(v.toDouble())
    is Double -> AttributeValue.Float(v)
    is Boolean -> AttributeValue.Bool(v)
    else -> AttributeValue.Text(v.toString())
}
