package dev.reprise

import android.view.View

/**
 * The tag key of [reprisePrivacy]. [View.setTag] wants an application resource id (package byte
 * of 2 or more); 0x7E is the last dynamic package id, which no app or library build assigns, so
 * no resource is needed and no app tag is overwritten.
 */
internal const val PRIVACY_TAG_KEY: Int = 0x7E52_5001

/**
 * This view's privacy choice, read by the capture on every snapshot (null: inherit from the
 * parent, or the session's mask mode at the root). Set it on the main thread:
 * `passwordHint.reprisePrivacy = Privacy.HIDE`.
 */
var View.reprisePrivacy: Privacy?
    get() = getTag(PRIVACY_TAG_KEY) as? Privacy
    set(value) = setTag(PRIVACY_TAG_KEY, value)
