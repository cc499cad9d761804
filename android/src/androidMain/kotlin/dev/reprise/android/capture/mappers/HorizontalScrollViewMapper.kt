package dev.reprise.android.capture.mappers

import android.widget.HorizontalScrollView
import dev.reprise.NodeKind
import dev.reprise.android.capture.CapturedNode
import dev.reprise.android.capture.ViewMapper

/** A horizontal scroll container and its offset. */
object HorizontalScrollViewMapper : ViewMapper<HorizontalScrollView> {
    override val viewClass = HorizontalScrollView::class.java

    override fun map(view: HorizontalScrollView, node: CapturedNode) {
        node.kind = NodeKind.SCROLL
        node.scrollable = true
        node.scrollX = view.scrollX.toFloat()
    }
}
