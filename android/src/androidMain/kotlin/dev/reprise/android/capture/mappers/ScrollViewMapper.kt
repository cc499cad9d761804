package dev.reprise.android.capture.mappers

import android.widget.ScrollView
import dev.reprise.NodeKind
import dev.reprise.android.capture.CapturedNode
import dev.reprise.android.capture.ViewMapper

/** A vertical scroll container and its offset. */
object ScrollViewMapper : ViewMapper<ScrollView> {
    override val viewClass = ScrollView::class.java

    override fun map(view: ScrollView, node: CapturedNode) {
        node.kind = NodeKind.SCROLL
        node.scrollable = true
        node.scrollY = view.scrollY.toFloat()
    }
}
