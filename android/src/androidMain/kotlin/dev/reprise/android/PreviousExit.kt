package dev.reprise.android

import android.app.ActivityManager
import android.app.ApplicationExitInfo
import android.content.Context
import android.os.Build
import dev.reprise.Reprise
import java.io.File

/**
 * How the app's previous processes ended, from Android 11's
 * `ActivityManager.getHistoricalProcessExitReasons`, recorded in the new session as one
 * [EVENT] custom event per exit not reported before (crash, native crash, ANR, low memory, user
 * request, ...). Each recording process leaves its session id as the process state summary
 * (`setProcessStateSummary`), which the system hands back with the exit: the event names the
 * session that ended that way. The core writes only to the session it records, so the event
 * lands in the new one.
 *
 * Exits are reported once: the newest timestamp reported is kept in [marker]. Before any marker
 * exists only exits of processes Reprise recorded (a summary of ours) are reported, so the first
 * start after installing the SDK does not report the app's older history. Below Android 11
 * nothing is known and nothing is recorded.
 */
internal class PreviousExit(private val context: Context, private val marker: File) {
    /** Leaves [sessionId] with the system for the next start; false when the platform refused or is too old. */
    fun leave(sessionId: String): Boolean {
        if (Build.VERSION.SDK_INT < Build.VERSION_CODES.R) return false
        return try {
            activityManager()?.setProcessStateSummary(summaryOf(sessionId))
            true
        } catch (e: Throwable) {
            false
        }
    }

    /** Records each exit not reported before, oldest first; returns how many. */
    fun record(reprise: Reprise): Int {
        if (Build.VERSION.SDK_INT < Build.VERSION_CODES.R) return 0
        val exits = try {
            activityManager()?.getHistoricalProcessExitReasons(context.packageName, 0, MAX_EXITS) ?: return 0
        } catch (e: Throwable) {
            return 0
        }
        val last = lastReported()
        val fresh = exits
            .filter { it.timestamp > (last ?: Long.MIN_VALUE) && (last != null || sessionOf(it) != null) }
            .sortedBy { it.timestamp }
        for (exit in fresh) reprise.event(EVENT, attributes(exit))
        fresh.lastOrNull()?.let { remember(it.timestamp) }
        return fresh.size
    }

    private fun attributes(exit: ApplicationExitInfo): Map<String, Any> = buildMap {
        put("reason", reasonName(exit.reason))
        put("status", exit.status)
        put("importance", exit.importance)
        put("process", exit.processName ?: "")
        put("exit_time_ms", exit.timestamp)
        exit.description?.let { put("description", it.take(MAX_DESCRIPTION)) }
        if (exit.pss > 0) put("pss_kb", exit.pss)
        if (exit.rss > 0) put("rss_kb", exit.rss)
        sessionOf(exit)?.let { put("previous_session", it) }
    }

    private fun activityManager(): ActivityManager? = context.getSystemService(ActivityManager::class.java)

    private fun lastReported(): Long? = try {
        marker.takeIf { it.isFile }?.readText()?.trim()?.toLongOrNull()
    } catch (e: Exception) {
        null
    }

    private fun remember(timestamp: Long) {
        try {
            marker.parentFile?.mkdirs()
            val temp = File(marker.path + ".tmp")
            temp.writeText(timestamp.toString())
            if (!temp.renameTo(marker)) marker.writeText(timestamp.toString())
        } catch (e: Exception) {
            // Not remembered: the exit may be reported again by the next start.
        }
    }

    companion object {
        /** The custom event's name; its attributes are in [attributes]. */
        const val EVENT = "previous_exit"

        /** Where, under the data directory, the newest reported exit's timestamp is kept. */
        const val MARKER = "reprise-android/last-exit"

        /** How many of the system's recent exits are read (it keeps a few dozen at most). */
        private const val MAX_EXITS = 16

        /** A description longer than this is cut (the system's are short; an app's could be long). */
        private const val MAX_DESCRIPTION = 300

        /** Marks a process state summary as Reprise's (an app may set its own instead). */
        private const val SUMMARY_PREFIX = "reprise:"

        /** The process state summary that names [sessionId] (48 bytes; the system keeps up to 128). */
        fun summaryOf(sessionId: String): ByteArray = (SUMMARY_PREFIX + sessionId).toByteArray(Charsets.UTF_8)

        /** The session id a process of ours left with the system, or null. */
        fun sessionOf(exit: ApplicationExitInfo): String? = try {
            exit.processStateSummary?.toString(Charsets.UTF_8)?.takeIf { it.startsWith(SUMMARY_PREFIX) }?.removePrefix(SUMMARY_PREFIX)
        } catch (e: Throwable) {
            null
        }

        /** `ApplicationExitInfo.REASON_*` as a stable lower-case name (`crash`, `anr`, `low_memory`, ...). */
        fun reasonName(reason: Int): String = when (reason) {
            ApplicationExitInfo.REASON_EXIT_SELF -> "exit_self"
            ApplicationExitInfo.REASON_SIGNALED -> "signaled"
            ApplicationExitInfo.REASON_LOW_MEMORY -> "low_memory"
            ApplicationExitInfo.REASON_CRASH -> "crash"
            ApplicationExitInfo.REASON_CRASH_NATIVE -> "crash_native"
            ApplicationExitInfo.REASON_ANR -> "anr"
            ApplicationExitInfo.REASON_INITIALIZATION_FAILURE -> "initialization_failure"
            ApplicationExitInfo.REASON_PERMISSION_CHANGE -> "permission_change"
            ApplicationExitInfo.REASON_EXCESSIVE_RESOURCE_USAGE -> "excessive_resource_usage"
            ApplicationExitInfo.REASON_USER_REQUESTED -> "user_requested"
            ApplicationExitInfo.REASON_USER_STOPPED -> "user_stopped"
            ApplicationExitInfo.REASON_DEPENDENCY_DIED -> "dependency_died"
            ApplicationExitInfo.REASON_OTHER -> "other"
            // Added in 13 and 14: compile-time constants, so they are safe on older levels too.
            ApplicationExitInfo.REASON_FREEZER -> "freezer"
            ApplicationExitInfo.REASON_PACKAGE_STATE_CHANGE -> "package_state_change"
            ApplicationExitInfo.REASON_PACKAGE_UPDATED -> "package_updated"
            else -> "unknown"
        }
    }
}
