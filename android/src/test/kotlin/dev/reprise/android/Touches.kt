package dev.reprise.android

import android.os.SystemClock
import android.view.MotionEvent
import android.view.View

/** Real MotionEvents, dispatched through a window's decor view as the system delivers them. */
internal class Touches(private val decor: View) {
    private fun properties(n: Int) = Array(n) { i -> MotionEvent.PointerProperties().apply { id = i; toolType = MotionEvent.TOOL_TYPE_FINGER } }

    private fun coords(points: List<Pair<Float, Float>>) = Array(points.size) { i ->
        MotionEvent.PointerCoords().apply { x = points[i].first; y = points[i].second; pressure = 1f; size = 0.1f }
    }

    private fun event(down: Long, time: Long, action: Int, points: List<Pair<Float, Float>>): MotionEvent =
        MotionEvent.obtain(down, time, action, points.size, properties(points.size), coords(points), 0, 0, 1f, 1f, 0, 0, 0x1002, 0)

    private fun send(e: MotionEvent) {
        decor.dispatchTouchEvent(e)
        e.recycle()
    }

    /** A tap at ([x], [y]) in window coordinates. */
    fun tap(x: Float, y: Float) {
        val t = SystemClock.uptimeMillis()
        send(event(t, t, MotionEvent.ACTION_DOWN, listOf(x to y)))
        send(event(t, t + 60, MotionEvent.ACTION_UP, listOf(x to y)))
    }

    /** A one-finger drag in [moves] events, each carrying [batch] historical samples. */
    fun drag(x: Float, fromY: Float, toY: Float, moves: Int = 6, batch: Int = 4) {
        val t = SystemClock.uptimeMillis()
        send(event(t, t, MotionEvent.ACTION_DOWN, listOf(x to fromY)))
        val steps = moves * (batch + 1)
        var step = 0
        fun y(s: Int) = fromY + (toY - fromY) * s / steps
        repeat(moves) {
            val first = ++step
            val e = event(t, t + first * 8L, MotionEvent.ACTION_MOVE, listOf(x to y(first)))
            repeat(batch) {
                step++
                e.addBatch(t + step * 8L, coords(listOf(x to y(step))), 0)
            }
            send(e)
        }
        send(event(t, t + step * 8L + 8, MotionEvent.ACTION_UP, listOf(x to toY)))
    }

    /** Two fingers spreading from [startGap] to [endGap] px apart around ([cx], [cy]). */
    fun pinch(cx: Float, cy: Float, startGap: Float, endGap: Float, moves: Int = 8) {
        val t = SystemClock.uptimeMillis()
        fun at(gap: Float) = listOf(cx - gap / 2 to cy, cx + gap / 2 to cy)
        send(event(t, t, MotionEvent.ACTION_DOWN, at(startGap).take(1)))
        send(event(t, t + 10, MotionEvent.ACTION_POINTER_DOWN or (1 shl MotionEvent.ACTION_POINTER_INDEX_SHIFT), at(startGap)))
        for (i in 1..moves) {
            val e = event(t, t + 10 + i * 16L, MotionEvent.ACTION_MOVE, at(startGap + (endGap - startGap) * (i - 0.5f) / moves))
            e.addBatch(t + 18 + i * 16L, coords(at(startGap + (endGap - startGap) * i / moves)), 0)
            send(e)
        }
        val end = t + 30 + moves * 16L
        send(event(t, end, MotionEvent.ACTION_POINTER_UP or (1 shl MotionEvent.ACTION_POINTER_INDEX_SHIFT), at(endGap)))
        send(event(t, end + 10, MotionEvent.ACTION_UP, at(endGap).take(1)))
    }
}

/** The centre of [view] in its window's coordinates. */
internal fun centreInWindow(view: View): Pair<Float, Float> {
    val loc = IntArray(2)
    view.getLocationInWindow(loc)
    return (loc[0] + view.width / 2f) to (loc[1] + view.height / 2f)
}
