package dev.reprise.android

import android.view.ViewTreeObserver

/** Marks the screen dirty when a window draws or lays out (main thread; the capture comes later). */
internal class ScreenChangeListener(private val markDirty: () -> Unit) :
    ViewTreeObserver.OnDrawListener, ViewTreeObserver.OnGlobalLayoutListener {
    override fun onDraw() = markDirty()

    override fun onGlobalLayout() = markDirty()
}
