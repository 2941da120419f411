// Colours: the Okabe–Ito palette, safe for the common forms of colour
// blindness. States also differ in shape on the canvas, never in colour alone.

export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  grey: '#8C8C8C',
};

/** Message states: colour and the shape drawn on the canvas. */
export const STATE_STYLE = {
  stored: { colour: OKABE_ITO.skyBlue, shape: 'circle' },
  in_flight: { colour: OKABE_ITO.blue, shape: 'circle' },
  redelivered: { colour: OKABE_ITO.orange, shape: 'diamond' },
  processed: { colour: OKABE_ITO.green, shape: 'circle' },
  dead_lettered: { colour: OKABE_ITO.vermillion, shape: 'square' },
  duplicate: { colour: OKABE_ITO.purple, shape: 'triangle' },
  lost: { colour: OKABE_ITO.black, shape: 'cross' },
  dropped: { colour: OKABE_ITO.grey, shape: 'cross' },
  expired: { colour: OKABE_ITO.yellow, shape: 'square' },
};

/** Colours for message keys, cycled. */
export const KEY_COLOURS = [
  OKABE_ITO.blue,
  OKABE_ITO.orange,
  OKABE_ITO.green,
  OKABE_ITO.purple,
  OKABE_ITO.skyBlue,
  OKABE_ITO.vermillion,
  OKABE_ITO.yellow,
  OKABE_ITO.black,
];

/** Chart series colours, in order of use. */
export const SERIES_COLOURS = [
  OKABE_ITO.blue,
  OKABE_ITO.vermillion,
  OKABE_ITO.green,
  OKABE_ITO.orange,
  OKABE_ITO.purple,
  OKABE_ITO.skyBlue,
  OKABE_ITO.black,
  OKABE_ITO.yellow,
];
