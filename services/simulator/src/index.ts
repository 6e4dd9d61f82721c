export * from './jst';
export * from './kingdee';
export * from './demo-catalog';
export { kingdeeUsers, startDemoSimulators, type DemoSimulators, type DemoSimulatorOptions } from './demo-simulators';
