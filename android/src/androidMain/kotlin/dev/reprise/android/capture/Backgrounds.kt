package dev.reprise.android.capture

import android.graphics.drawable.ColorDrawable
import android.graphics.drawable.Drawable
import android.graphics.drawable.GradientDrawable
import android.graphics.drawable.InsetDrawable
import android.graphics.drawable.LayerDrawable

/** Reads a solid colour and a corner radius out of the common background drawables. */
internal object Backgrounds {
    fun read(drawable: Drawable?, node: CapturedNode) {
        when (drawable) {
            null -> Unit
            is ColorDrawable -> node.backgroundColor = drawable.color.takeIf { it ushr 24 != 0 }
            is GradientDrawable -> {
                node.backgroundColor = drawable.color?.defaultColor?.takeIf { it ushr 24 != 0 }
                node.cornerRadius = drawable.cornerRadius
            }
            // A ripple (a LayerDrawable) or a layer list draws its first layer as the background.
            is LayerDrawable -> if (drawable.numberOfLayers > 0) read(drawable.getDrawable(0), node)
            is InsetDrawable -> read(drawable.drawable, node)
        }
    }
}
