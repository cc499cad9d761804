package dev.reprise.android.capture.mappers

import android.widget.CompoundButton
import dev.reprise.NodeKind
import dev.reprise.android.capture.CapturedNode
import dev.reprise.android.capture.ViewMapper

/** A check box, radio button or switch: a control with a label and an on/off state. */
object CompoundButtonMapper : ViewMapper<CompoundButton> {
    override val viewClass = CompoundButton::class.java

    override fun map(view: CompoundButton, node: CapturedNode) {
        node.kind = NodeKind.BUTTON
        TextViewMapper.readText(view, node)
        node.checked = view.isChecked
    }
}
