package dev.reprise.android

// Compiled by the Gradle build only (android/build.gradle.kts), never by Maven: it needs the
// Android framework. NOT RUN here (no Android SDK on these machines). It only reads platform
// objects and hands them over; every decision is in the core.

import android.view.MotionEvent
import android.view.View
import android.view.ViewGroup
import android.widget.EditText
import android.widget.ImageView
import android.widget.TextView
import dev.reprise.Reprise
import dev.reprise.NodeFlags
import dev.reprise.NodeKind
import dev.reprise.PrivacyOverride
import dev.reprise.PxRect
import dev.reprise.TouchAction
import dev.reprise.TouchSample
import dev.reprise.ViewNode
import dev.reprise.ViewTree

/** Reads a window's view tree into the FFI tree, parents first. */
fun captureTree(root: View): ViewTree {
    val classes = ArrayList<String>()
    val classIndex = HashMap<Class<*>, UInt>()
    val nodes = ArrayList<ViewNode>()
    val location = IntArray(2)
    fun visit(view: View, parent: UInt?) {
        if (view.visibility == View.GONE) return
        val cls = classIndex.getOrPut(view.javaClass) { classes += view.javaClass.name; (classes.size - 1).toUInt() }
        view.getLocationInWindow(location)
        val kind = when (view) {
            is EditText -> NodeKind.INPUT
            is android.widget.Button -> NodeKind.BUTTON
            is TextView -> NodeKind.TEXT
            is ImageView -> NodeKind.IMAGE
            is android.widget.ScrollView, is android.widget.AbsListView -> NodeKind.SCROLL
            is android.webkit.WebView -> NodeKind.WEB_VIEW
            is ViewGroup -> NodeKind.CONTAINER
            else -> NodeKind.OTHER
        }
        val index = nodes.size.toUInt()
        nodes += ViewNode(
            identity = System.identityHashCode(view).toULong(),
            parent = parent,
            kind = kind,
            classIndex = cls,
            bounds = PxRect(location[0].toFloat(), location[1].toFloat(), view.width.toFloat(), view.height.toFloat()),
            flags = NodeFlags(
                clickable = view.isClickable,
                scrollable = view.canScrollVertically(1) || view.canScrollVertically(-1) || view.canScrollHorizontally(1),
                focusable = view.isFocusable,
                enabled = view.isEnabled,
                visible = view.visibility == View.VISIBLE,
                clipsChildren = (view as? ViewGroup)?.clipChildren ?: false,
                password = (view as? TextView)?.let { it.inputType and 0x80 != 0 } ?: false,
            ),
            alpha = view.alpha,
            backgroundColor = (view.background as? android.graphics.drawable.ColorDrawable)?.color?.toUInt(),
            textColor = (view as? TextView)?.currentTextColor?.toUInt(),
            cornerRadius = 0f,
            fontSize = (view as? TextView)?.textSize ?: 0f,
            text = (view as? TextView)?.text?.toString(),
            contentDescription = view.contentDescription?.toString(),
            scrollX = view.scrollX.toFloat(),
            scrollY = view.scrollY.toFloat(),
            privacy = PrivacyOverride.INHERIT,
        )
        if (view is ViewGroup) for (i in 0 until view.childCount) visit(view.getChildAt(i), index)
    }
    visit(root, null)
    return ViewTree(classes, nodes)
}

/** Hands one MotionEvent (with its batched history) to the core in one call. */
fun Reprise.motionEvent(event: MotionEvent) {
    // MotionEvent times are uptime milliseconds; the core wants Unix microseconds.
    val offsetMs = System.currentTimeMillis() - android.os.SystemClock.uptimeMillis()
    val action = when (event.actionMasked) {
        MotionEvent.ACTION_DOWN -> TouchAction.DOWN
        MotionEvent.ACTION_UP -> TouchAction.UP
        MotionEvent.ACTION_CANCEL -> TouchAction.CANCEL
        MotionEvent.ACTION_POINTER_DOWN -> TouchAction.POINTER_DOWN
        MotionEvent.ACTION_POINTER_UP -> TouchAction.POINTER_UP
        else -> TouchAction.MOVE
    }
    val samples = ArrayList<TouchSample>((event.historySize + 1) * event.pointerCount)
    for (h in 0 until event.historySize) {
        for (p in 0 until event.pointerCount) {
            samples += TouchSample(event.getPointerId(p).toUInt(), TouchAction.MOVE, event.getHistoricalX(p, h), event.getHistoricalY(p, h),
                (event.getHistoricalEventTime(h) + offsetMs) * 1000, event.getHistoricalPressure(p, h), event.getHistoricalSize(p, h))
        }
    }
    for (p in 0 until event.pointerCount) {
        val a = if (action == TouchAction.POINTER_DOWN || action == TouchAction.POINTER_UP) {
            if (p == event.actionIndex) action else TouchAction.MOVE
        } else action
        samples += TouchSample(event.getPointerId(p).toUInt(), a, event.getX(p), event.getY(p), (event.eventTime + offsetMs) * 1000, event.getPressure(p), event.getSize(p))
    }
    touches(samples)
}
