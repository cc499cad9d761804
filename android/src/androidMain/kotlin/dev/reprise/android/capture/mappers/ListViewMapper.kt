package dev.reprise.android.capture.mappers

import android.widget.AbsListView
import dev.reprise.NodeKind
import dev.reprise.android.capture.CapturedNode
import dev.reprise.android.capture.ViewMapper

/** A ListView or GridView: a scroll container whose offset is the list's computed one. */
object ListViewMapper : ViewMapper<AbsListView> {
    override val viewClass = AbsListView::class.java

    override fun map(view: AbsListView, node: CapturedNode) {
        node.kind = NodeKind.SCROLL
        node.scrollable = true
        node.scrollY = ScrollOffsets.vertical(view)
    }
}
