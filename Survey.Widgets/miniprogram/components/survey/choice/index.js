'use strict'
/**
 * A list of options: one (single) or several (multiple, up to max-choices). Event: change { value } with the chosen
 * value (single) or the chosen values in the options' order (multiple).
 */
function chosen(value) {
  if (Array.isArray(value)) return value
  return value === null || value === undefined || value === '' ? [] : [value]
}

Component({
  properties: {
    choices: { type: Array, value: [] },
    multiple: { type: Boolean, value: false },
    value: { type: null, value: null },
    maxChoices: { type: Number, value: 0 },
    label: { type: String, value: '' },
    disabled: { type: Boolean, value: false },
  },

  data: { items: [] },

  observers: {
    'choices, value, multiple, maxChoices': function () {
      this._build()
    },
  },

  lifetimes: {
    attached() {
      this._build()
    },
  },

  methods: {
    _build(value) {
      const selected = chosen(value === undefined ? this.properties.value : value)
      const full = this.properties.multiple && this.properties.maxChoices > 0 && selected.length >= this.properties.maxChoices
      const items = (this.properties.choices || []).map(c => {
        const on = selected.indexOf(c.value) >= 0
        return { value: c.value, text: c.text, selected: on, disabled: !on && full }
      })
      this.setData({ items })
    },

    onTap(e) {
      if (this.properties.disabled) return
      const value = e.currentTarget.dataset.value
      let next
      if (this.properties.multiple) {
        const selected = chosen(this.properties.value).slice()
        const at = selected.indexOf(value)
        if (at >= 0) selected.splice(at, 1)
        else if (this.properties.maxChoices > 0 && selected.length >= this.properties.maxChoices) return
        else selected.push(value)
        const order = (this.properties.choices || []).map(c => c.value)
        next = order.filter(v => selected.indexOf(v) >= 0)
      } else {
        next = value
      }
      this._build(next)
      this.triggerEvent('change', { value: next })
    },
  },
})
