package dev.reprise

import dev.reprise.ffi.HttpTransport
import dev.reprise.ffi.LogSink
import dev.reprise.ffi.MaskMode
import java.io.File

/** How snapshots cross the FFI: as generated records, or packed into the compact buffer. */
enum class SnapshotEncoding { RECORDS, BUFFER }

/**
 * Everything [Reprise.start] needs. Only [dataDir] is required; without [endpoint] sessions are
 * recorded and persisted but not uploaded.
 */
data class RepriseConfig(
    /** The app's private directory (Context.filesDir); the queue lives under `reprise/queue`. */
    val dataDir: File,
    /** Collector base URL (HTTPS, except loopback), or null to record without uploading. */
    val endpoint: String? = null,
    /** The app's API key for [endpoint]. */
    val apiKey: String = "",
    /** Which text is masked on the device. Default: everything (fail closed). */
    val maskMode: MaskMode = MaskMode.MASK_ALL,
    /** Record image content placeholders only (false) or allow images (true). */
    val allowImages: Boolean = false,
    /** Share of sessions recorded, 0.0 to 1.0. */
    val sampleRate: Double = 1.0,
    val keyframeIntervalMs: Long = 10_000,
    val maxSegmentAgeMs: Long = 60_000,
    val maxQueueBytes: Long = 16L * 1024 * 1024,
    val maxQueueAgeMs: Long = 3L * 24 * 3600 * 1000,
    val uploadConcurrency: Int = 2,
    val initialBackoffMs: Long = 1_000,
    val maxBackoffMs: Long = 300_000,
    val requestTimeoutMs: Long = 30_000,
    /**
     * Records: measured the faster way to hand over a tree the layer already holds as records
     * (docs/PERFORMANCE.md, "FFI from Kotlin (JVM)"); the buffer costs the same once packed, and
     * packing adds ~30 us.
     */
    val snapshotEncoding: SnapshotEncoding = SnapshotEncoding.RECORDS,
    /** The platform's HTTP stack; null uses the core's built-in client. */
    val transport: HttpTransport? = null,
    /** Receives the SDK's own log lines (e.g. to Logcat). */
    val logSink: LogSink? = null,
)
