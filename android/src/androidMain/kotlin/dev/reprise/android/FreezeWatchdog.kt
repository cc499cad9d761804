package dev.reprise.android

import android.os.Handler
import android.os.Looper

/**
 * A thread that posts a tick to the main thread every [thresholdMs] / 4 and reports a freeze
 * through [onFreeze] (once per freeze, with how long it had lasted) when a tick waits longer than
 * [thresholdMs]. The main thread only runs the tick: no work, no lock.
 */
internal class FreezeWatchdog(
    private val thresholdMs: Long,
    private val onFreeze: (blockedMs: Long) -> Unit,
) : Thread("reprise-watchdog") {
    private val main = Handler(Looper.getMainLooper())
    @Volatile private var lastTickMs = nowMs()
    @Volatile private var running = true
    private val tick = Runnable { lastTickMs = nowMs() }

    init {
        isDaemon = true
    }

    fun shutdown() {
        running = false
        interrupt()
    }

    // A monotonic clock of its own: the watchdog measures real time, whatever the main thread's clock.
    private fun nowMs() = System.nanoTime() / 1_000_000

    override fun run() {
        val period = (thresholdMs / 4).coerceAtLeast(50)
        var reported = false
        while (running) {
            val posted = nowMs()
            main.post(tick)
            try {
                sleep(period)
            } catch (e: InterruptedException) {
                return
            }
            val blocked = nowMs() - lastTickMs
            if (blocked > thresholdMs && lastTickMs < posted) {
                if (!reported) {
                    reported = true
                    try {
                        onFreeze(blocked)
                    } catch (e: Throwable) {
                    }
                }
            } else {
                reported = false
            }
        }
    }
}
