package dev.reprise.android.capture.mappers

import android.widget.ProgressBar
import dev.reprise.NodeKind
import dev.reprise.android.capture.CapturedNode
import dev.reprise.android.capture.ViewMapper

/** A progress bar or seek bar: a box of its bounds (its progress has no field in the core's node). */
object ProgressBarMapper : ViewMapper<ProgressBar> {
    override val viewClass = ProgressBar::class.java

    override fun map(view: ProgressBar, node: CapturedNode) {
        node.kind = NodeKind.OTHER
    }
}
