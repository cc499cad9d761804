package dev.reprise

import android.app.Application
import dev.reprise.android.AndroidSession
import dev.reprise.android.capture.ViewMapper

/**
 * How the Android layer captures: how often at most, which app mappers read custom views, and
 * the freeze threshold. Every default is what an app wants unless it measured otherwise.
 */
data class CaptureOptions(
    /** At most this many snapshots a second (a changed screen, throttled). */
    val maxSnapshotsPerSecond: Int = 4,
    /** The app's readers for its own view classes; they take precedence over the built-in ones. */
    val mappers: List<ViewMapper<*>> = emptyList(),
    /** A main thread blocked longer than this is recorded as a `freeze` event; 0 turns it off. */
    val freezeThresholdMs: Long = 2_000,
    /** Chain a default uncaught-exception handler that records the crash and persists the session. */
    val recordCrashes: Boolean = true,
)

/**
 * The settings of an app that uploads to [endpoint] with [apiKey]; the data directory is the
 * app's `filesDir` (filled in by [Reprise.Companion.start]); every other setting takes the core's
 * default unless given.
 */
fun RepriseConfig(endpoint: String, apiKey: String, maskMode: MaskMode? = null): RepriseConfig =
    RepriseConfig(dataDir = "", maskMode = maskMode, upload = UploadOptions(endpoint, apiKey))

/**
 * Starts recording the whole app from `Application.onCreate`, on the main thread:
 *
 * ```
 * Reprise.start(this, RepriseConfig(endpoint = "https://collector.example.com", apiKey = KEY))
 * ```
 *
 * Device metadata, the data directory (when [config] leaves `dataDir` blank: `filesDir`),
 * lifecycle, touches on every window, view snapshots, crashes and freezes come from the
 * platform. Returns the running recorder (for `screenView`, `event`, `userId`, ...); closing it
 * stops the capture too. A second call while one runs returns the running one. Throws
 * [ConfigException] or [StorageException] when the core refuses the settings.
 */
fun Reprise.Companion.start(
    application: Application,
    config: RepriseConfig,
    capture: CaptureOptions = CaptureOptions(),
): Reprise = AndroidSession.start(application, config, capture).reprise

/** The recorder [start] returned, or null before it (or after it was closed). */
val Reprise.Companion.current: Reprise? get() = AndroidSession.current?.reprise

/**
 * The view tree the running recorder would send for the screen now (every window), not
 * recorded: write it with [toJson] and give it to `reprise preview TREE.json --density D` to see
 * it exactly as it would be stored, masking applied, in the app's own tests. Main thread only;
 * null when nothing is recording.
 */
fun Reprise.Companion.screenTree(): ViewTree? = AndroidSession.current?.currentTree()
