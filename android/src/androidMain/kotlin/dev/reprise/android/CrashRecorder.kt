package dev.reprise.android

import dev.reprise.LogLevel
import dev.reprise.Reprise

/**
 * A default uncaught-exception handler chained before the one installed earlier: it records the
 * error (class, message, the top frames) as an ERROR breadcrumb and persists the open segment to
 * disk synchronously, then hands the exception on, so the process dies as it would have. The
 * next start uploads the segment.
 */
internal class CrashRecorder(private val reprise: Reprise) : Thread.UncaughtExceptionHandler {
    private var previous: Thread.UncaughtExceptionHandler? = null
    @Volatile private var active = false

    fun install() {
        previous = Thread.getDefaultUncaughtExceptionHandler()
        Thread.setDefaultUncaughtExceptionHandler(this)
        active = true
    }

    /** Stops recording crashes; restores the previous handler when nobody chained after this one. */
    fun uninstall() {
        active = false
        if (Thread.getDefaultUncaughtExceptionHandler() === this) Thread.setDefaultUncaughtExceptionHandler(previous)
    }

    override fun uncaughtException(thread: Thread, error: Throwable) {
        if (active) {
            try {
                // The event marks the crash for the collector's analysis; the breadcrumb says what it was.
                reprise.event(CRASH_EVENT, mapOf("type" to error.javaClass.name))
                reprise.breadcrumb(describe(thread, error), LogLevel.ERROR)
                reprise.flushBlocking()
            } catch (e: Throwable) {
                // Recording a crash must not hide it.
            }
        }
        previous?.uncaughtException(thread, error)
    }

    companion object {
        /** The custom event recorded before a crash's breadcrumb (the collector's `crash` finding). */
        const val CRASH_EVENT = "crash"

        fun describe(thread: Thread, error: Throwable): String = buildString {
            append("crash in thread \"").append(thread.name).append("\": ").append(error.javaClass.name)
            error.message?.let { append(": ").append(it.take(500)) }
            for (frame in error.stackTrace.take(8)) append("\n  at ").append(frame)
            error.cause?.let { append("\ncaused by ").append(it.javaClass.name) }
        }
    }
}
