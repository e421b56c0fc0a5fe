'use strict'
/** A row of points (NPS 0-10, CSAT 1-5, CES 1-7, rating min-max); one tap chooses. Event: change { value }. */
function points(min, max, value) {
  const list = []
  const lo = Math.round(Number(min) || 0)
  const hi = Math.round(Number(max) || 0)
  for (let v = lo; v <= hi && list.length <= 101; v++) list.push({ value: v, selected: value === v })
  return list
}

Component({
  properties: {
    min: { type: Number, value: 0 },
    max: { type: Number, value: 10 },
    value: { type: null, value: null },
    minLabel: { type: String, value: '' },
    maxLabel: { type: String, value: '' },
    label: { type: String, value: '' },
    disabled: { type: Boolean, value: false },
  },

  data: { points: [], many: false },

  observers: {
    'min, max, value': function (min, max, value) {
      this._build(min, max, value)
    },
  },

  lifetimes: {
    attached() {
      this._build(this.properties.min, this.properties.max, this.properties.value)
    },
  },

  methods: {
    _build(min, max, value) {
      const list = points(min, max, value)
      this.setData({ points: list, many: list.length > 7 })
    },

    onTap(e) {
      if (this.properties.disabled) return
      const value = Number(e.currentTarget.dataset.value)
      this._build(this.properties.min, this.properties.max, value)
      this.triggerEvent('change', { value })
    },
  },
})
