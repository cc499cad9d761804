package dev.reprise.android

import android.app.Activity
import android.app.Application
import android.content.ComponentCallbacks
import android.content.res.Configuration
import android.os.Handler
import android.os.Looper
import android.view.MotionEvent
import android.view.View
import android.view.Window
import dev.reprise.CaptureOptions
import dev.reprise.Lifecycle
import dev.reprise.Reprise
import dev.reprise.RepriseConfig
import dev.reprise.ViewTree
import dev.reprise.android.capture.MapperRegistry
import dev.reprise.android.capture.ViewWalker
import java.io.File
import java.lang.ref.WeakReference
import java.util.WeakHashMap

/**
 * The Android layer of one running recorder: lifecycle, windows, touches, snapshots, crashes and
 * freezes, all read from the platform and handed to [reprise]. Created on the main thread by
 * `Reprise.start(application, config)`; every callback from the platform is guarded, so a
 * failure here is counted as lost capture, never an app crash.
 */
internal class AndroidSession private constructor(
    private val application: Application,
    val reprise: Reprise,
    options: CaptureOptions,
    private val network: NetworkMonitor,
    private val previousExit: PreviousExit,
) {
    private val main = Handler(Looper.getMainLooper())
    private val walker = ViewWalker(MapperRegistry(options.mappers))
    private val activities = ArrayList<WeakReference<Activity>>()
    private val windowRoots = WindowRoots { activities.mapNotNull { it.get()?.window?.peekDecorView() } }
    private val touchWindows = WeakHashMap<Window, Unit>()
    private val popupTouches = PopupTouches(::recordTouch)
    private val drawListeners = WeakHashMap<View, ScreenChangeListener>()
    private var knownRoots: List<View> = emptyList()
    private var startedActivities = 0
    private var unreadyRetries = 0
    private var inBackground = true
    private var keyboardHeight = 0
    private var viewport = Triple(0, 0, 0f)
    private var stopped = false
    private val intervalMs = 1000L / options.maxSnapshotsPerSecond.coerceIn(1, 60)
    private val scheduler = CaptureScheduler(intervalMs, ::capture)
    private val crashes = if (options.recordCrashes) CrashRecorder(reprise) else null
    private val watchdog = if (options.freezeThresholdMs > 0) {
        FreezeWatchdog(options.freezeThresholdMs) { blocked ->
            guard { reprise.event("freeze", mapOf("blocked_ms" to blocked)) }
        }
    } else null

    /** Main-thread time of the last capture (walk and FFI call), in nanoseconds. */
    @Volatile var lastCaptureNanos: Long = 0
        private set

    /** How many captures ran, and how many failed (a typed error from the core, or a bug here). */
    var captures = 0
        private set
    var captureFailures = 0
        private set

    /** How many nodes the last capture read (the screen's root included). */
    var lastTreeSize = 0
        private set

    /**
     * Touchable windows seen without a `Window.Callback` whose touches are not recorded (not a
     * popup, or reflection refused; see [PopupTouches]). Their views are still captured.
     */
    var windowsWithoutTouches = 0
        private set

    /** Why the last failed capture failed (a [dev.reprise.RepriseException] from the core, or a bug here). */
    var lastCaptureError: Throwable? = null
        private set

    private val lifecycle = object : Application.ActivityLifecycleCallbacks {
        override fun onActivityCreated(activity: Activity, savedInstanceState: android.os.Bundle?) = guard {
            activities.removeAll { it.get() == null }
            activities += WeakReference(activity)
            installTouches(activity.window)
        }

        override fun onActivityStarted(activity: Activity) = guard {
            installTouches(activity.window)
            if (startedActivities++ == 0) {
                if (inBackground) reprise.lifecycle(Lifecycle.FOREGROUND)
                inBackground = false
                // Coming back after a long background may have started a new session.
                leaveSessionId()
                main.removeCallbacks(poll)
                main.post(poll)
            }
        }

        override fun onActivityResumed(activity: Activity) = guard {
            recordViewport()
            reprise.screenView(activity.javaClass.simpleName)
            scanRoots()
            scheduler.captureNow()
        }

        override fun onActivityPaused(activity: Activity) = Unit

        override fun onActivityStopped(activity: Activity) = guard {
            // An activity recreated for a configuration change (a rotation) is not the app
            // going to the background: its successor starts at once.
            if (startedActivities > 0 && --startedActivities == 0 && !activity.isChangingConfigurations) {
                main.removeCallbacks(poll)
                inBackground = true
                reprise.lifecycle(Lifecycle.BACKGROUND)
            }
        }

        override fun onActivitySaveInstanceState(activity: Activity, outState: android.os.Bundle) = Unit

        override fun onActivityDestroyed(activity: Activity) = guard {
            activities.removeAll { it.get() == null || it.get() === activity }
            // The last activity finished for good (not recreated for a rotation): the app's UI
            // is gone, so the session's open segment is sealed and uploaded now. The process
            // may live on (a service) or show an activity again, which records a foreground.
            if (activity.isFinishing && !activity.isChangingConfigurations && activities.isEmpty() && startedActivities == 0) {
                reprise.lifecycle(Lifecycle.TERMINATE)
            }
        }
    }

    private val configuration = object : ComponentCallbacks {
        override fun onConfigurationChanged(newConfig: Configuration) = guard {
            recordViewport(newConfig)
            scheduler.captureNow()
        }

        @Deprecated("Deprecated in Java")
        override fun onLowMemory() = Unit
    }

    /** While an activity is started: finds windows added or removed since the last look (dialogs, popups). */
    private val poll = object : Runnable {
        override fun run() {
            guard { scanRoots() }
            if (!stopped && startedActivities > 0) main.postDelayed(this, intervalMs)
        }
    }

    private fun begin() {
        application.registerActivityLifecycleCallbacks(lifecycle)
        application.registerComponentCallbacks(configuration)
        network.start()
        crashes?.install()
        watchdog?.start()
        reprise.onClose { if (Looper.myLooper() == Looper.getMainLooper()) end() else main.post { end() } }
        guard { recordViewport(application.resources.configuration) }
        guard { leaveSessionId() }
        guard { previousExit.record(reprise) }
        guard { scanRoots() }
    }

    private var sessionLeft: String? = null

    /** Leaves the current session's id with the system, for the next start's [PreviousExit] (when it changed). */
    private fun leaveSessionId() {
        val id = reprise.sessionId
        if (id != sessionLeft && previousExit.leave(id)) sessionLeft = id
    }

    private fun end() {
        if (stopped) return
        stopped = true
        application.unregisterActivityLifecycleCallbacks(lifecycle)
        application.unregisterComponentCallbacks(configuration)
        main.removeCallbacks(poll)
        scheduler.stop()
        network.stop()
        crashes?.uninstall()
        watchdog?.shutdown()
        for ((view, listener) in drawListeners) {
            runCatching { view.viewTreeObserver.removeOnDrawListener(listener) }
            runCatching { view.viewTreeObserver.removeOnGlobalLayoutListener(listener) }
        }
        drawListeners.clear()
        if (current === this) current = null
    }

    /** Records the display's size, density and orientation when they changed since the last time. */
    private fun recordViewport(config: Configuration = application.resources.configuration) {
        val metrics = application.resources.displayMetrics
        val now = Triple(metrics.widthPixels, metrics.heightPixels, metrics.density)
        if (now == viewport) return
        viewport = now
        reprise.viewport(metrics.widthPixels, metrics.heightPixels, metrics.density, DeviceMetadata.orientation(config))
    }

    /** Installs the chained touch callback on [window], once. */
    private fun installTouches(window: Window?) {
        if (window == null || stopped || touchWindows.containsKey(window)) return
        val delegate = window.callback ?: return
        window.callback = TouchCallback(delegate, window, ::onTouch)
        touchWindows[window] = Unit
    }

    private val location = IntArray(2)

    private fun onTouch(event: MotionEvent, window: Window) = recordTouch(event, window.peekDecorView())

    /** Hands [event], in the coordinates of the window rooted at [root], to the core in screen coordinates. */
    private fun recordTouch(event: MotionEvent, root: View?) {
        if (stopped) return
        if (root != null) root.getLocationOnScreen(location) else location.fill(0)
        reprise.touches(event.toSamples(location[0].toFloat(), location[1].toFloat()))
        // What a touch changes is drawn in the frames after it.
        scheduler.markDirty()
    }

    /** Looks at the window roots: a new one gets touches and a draw listener and is captured at once. */
    private fun scanRoots() {
        if (stopped) return
        val roots = windowRoots.roots()
        if (roots == knownRoots) return
        val added = roots.filter { root -> knownRoots.none { it === root } }
        knownRoots = roots
        for (root in added) {
            val window = WindowRoots.windowOf(root)
            if (window != null) installTouches(window)
            else if (popupTouches.install(root) == PopupTouches.Outcome.UNSUPPORTED) windowsWithoutTouches++
            if (!drawListeners.containsKey(root)) {
                val listener = ScreenChangeListener(scheduler::markDirty)
                root.viewTreeObserver.addOnDrawListener(listener)
                root.viewTreeObserver.addOnGlobalLayoutListener(listener)
                drawListeners[root] = listener
            }
        }
        scheduler.captureNow()
    }

    /**
     * The tree a snapshot would send now, every window read as [capture] reads them, without
     * recording it (main thread). Masking happens in the core: this is the input, for `reprise
     * preview` to draw as it would be stored.
     */
    internal fun currentTree(): ViewTree {
        scanRoots()
        val metrics = application.resources.displayMetrics
        return walker.capture(knownRoots, metrics.widthPixels, metrics.heightPixels, Keyboard.height(knownRoots))
    }

    /** One snapshot of every window: the walk and the FFI call, on the main thread. */
    internal fun capture() {
        if (stopped) return
        val start = System.nanoTime()
        try {
            scanRoots()
            recordViewport()
            val metrics = application.resources.displayMetrics
            val keyboard = Keyboard.height(knownRoots)
            if (keyboard != keyboardHeight) {
                keyboardHeight = keyboard
                reprise.keyboard(keyboard > 0, keyboard.toFloat())
            }
            val tree = walker.capture(knownRoots, metrics.widthPixels, metrics.heightPixels, keyboard)
            lastTreeSize = tree.nodes.size
            if (tree.nodes.size > 1) reprise.snapshot(tree)
            captures++
            // A window added this frame is laid out by its first traversal, after this callback:
            // capture it again at the next frame (a few times at most).
            if (knownRoots.any { !it.isLaidOut } && unreadyRetries++ < 10) scheduler.captureNow() else unreadyRetries = 0
        } catch (e: Throwable) {
            captureFailures++
            lastCaptureError = e
        } finally {
            lastCaptureNanos = System.nanoTime() - start
        }
    }

    private inline fun guard(block: () -> Unit) {
        try {
            block()
        } catch (e: Throwable) {
            // A platform callback must never crash the app because of recording.
        }
    }

    companion object {
        @Volatile internal var current: AndroidSession? = null
            private set

        @Synchronized
        fun start(application: Application, config: RepriseConfig, options: CaptureOptions): AndroidSession {
            current?.let { return it }
            val dataDir = config.dataDir.ifBlank { application.filesDir.path }
            val network = NetworkMonitor(application) { type -> current?.let { s -> s.guard { s.reprise.connectivity(type) } } }
            val metadata = DeviceMetadata.read(application, network.current())
            val reprise = Reprise.start(config.copy(dataDir = dataDir), metadata)
            val previousExit = PreviousExit(application, File(dataDir, PreviousExit.MARKER))
            val session = AndroidSession(application, reprise, options, network, previousExit)
            current = session
            session.begin()
            return session
        }
    }
}
