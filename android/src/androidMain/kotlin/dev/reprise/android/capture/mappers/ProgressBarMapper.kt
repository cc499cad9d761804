package dev.reprise.android.capture.mappers

import android.os.Build
import android.widget.ProgressBar
import dev.reprise.NodeKind
import dev.reprise.android.capture.CapturedNode
import dev.reprise.android.capture.ViewMapper

/** A progress bar or seek bar: a box of its bounds and, unless indeterminate, its position. */
object ProgressBarMapper : ViewMapper<ProgressBar> {
    override val viewClass = ProgressBar::class.java

    override fun map(view: ProgressBar, node: CapturedNode) {
        node.kind = NodeKind.OTHER
        if (view.isIndeterminate) return
        val min = if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.O) view.min else 0
        if (view.max > min) node.progress = (view.progress - min).toFloat() / (view.max - min)
    }
}
