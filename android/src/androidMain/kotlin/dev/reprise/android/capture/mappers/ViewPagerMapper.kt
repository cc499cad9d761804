package dev.reprise.android.capture.mappers

import android.view.View
import dev.reprise.NodeKind
import dev.reprise.android.capture.CapturedNode
import dev.reprise.android.capture.NamedViewMapper

/**
 * androidx ViewPager, by class name: a horizontal scroll container whose pages are its children.
 * (ViewPager2 is a ViewGroup around a RecyclerView, which [RecyclerViewMapper] reads.)
 */
object ViewPagerMapper : NamedViewMapper("androidx.viewpager.widget.ViewPager") {
    override fun map(view: View, node: CapturedNode) {
        node.kind = NodeKind.SCROLL
        node.scrollable = true
        node.scrollX = view.scrollX.toFloat()
    }
}
