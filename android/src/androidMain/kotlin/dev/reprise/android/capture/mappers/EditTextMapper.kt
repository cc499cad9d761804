package dev.reprise.android.capture.mappers

import android.text.InputType
import android.text.method.PasswordTransformationMethod
import android.widget.EditText
import dev.reprise.NodeKind
import dev.reprise.android.capture.CapturedNode
import dev.reprise.android.capture.ViewMapper

/** Editable text; every password input type (and a password transformation) sets the password flag. */
object EditTextMapper : ViewMapper<EditText> {
    override val viewClass = EditText::class.java

    override fun map(view: EditText, node: CapturedNode) {
        node.kind = NodeKind.INPUT
        TextViewMapper.readText(view, node)
        node.password = isPassword(view.inputType) || view.transformationMethod is PasswordTransformationMethod
    }

    /** Text, visible, web and number passwords. */
    fun isPassword(inputType: Int): Boolean {
        val variation = inputType and InputType.TYPE_MASK_VARIATION
        return when (inputType and InputType.TYPE_MASK_CLASS) {
            InputType.TYPE_CLASS_TEXT -> variation == InputType.TYPE_TEXT_VARIATION_PASSWORD ||
                variation == InputType.TYPE_TEXT_VARIATION_VISIBLE_PASSWORD ||
                variation == InputType.TYPE_TEXT_VARIATION_WEB_PASSWORD
            InputType.TYPE_CLASS_NUMBER -> variation == InputType.TYPE_NUMBER_VARIATION_PASSWORD
            else -> false
        }
    }
}
