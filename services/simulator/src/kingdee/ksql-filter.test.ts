import { compareCells, evaluateFilter, filterFields, FilterSyntaxError, parseFilter } from './ksql-filter';

const row: Record<string, unknown> = {
  FBillNo: 'XS-001',
  FDocumentStatus: 'C',
  FRealQty: 5,
  FDate: '2024-06-01T00:00:00',
  FIsBatchManage: true,
  FNote: "it's",
  'FCustomerID.FNumber': 'CUST-TMALL',
  FLot: null,
};
const read = (key: string): unknown => {
  const hit = Object.keys(row).find((k) => k.toLowerCase() === key.toLowerCase());
  return hit === undefined ? undefined : row[hit];
};
const matches = (filter: string): boolean => evaluateFilter(parseFilter(filter), read);

describe('KSQL filter subset', () => {
  it.each([
    ["FBillNo='XS-001'", true],
    ["fbillno = 'xs-001'", true],
    ["FBillNo<>'XS-001'", false],
    ["FBillNo != 'XS-002'", true],
    ['FRealQty > 4 and FRealQty <= 5', true],
    ['FRealQty >= 6 or FRealQty < 5', false],
    ["FDate >= '2024-06-01'", true],
    ["FDate > '2024-06-01 00:00:00'", false],
    ["FDate < '2024-06-01 00:00:01'", true],
    ["FBillNo like 'XS%'", true],
    ["FBillNo like 'X_-00_'", true],
    ["FBillNo not like '%9'", true],
    ["FDocumentStatus in ('A','B')", false],
    ["FDocumentStatus in ('A', 'c')", true],
    ["FDocumentStatus not in ('A','B')", true],
    ["FCustomerID.FNumber='CUST-TMALL' and (FDocumentStatus='A' or FRealQty=5)", true],
    ["not (FDocumentStatus='C')", false],
    ['FIsBatchManage = 1', true],
    ["FIsBatchManage = '0'", false],
    ["FNote = 'it''s'", true],
    ["FNote = N'it''s'", true],
    ['FLot is null', true],
    ['FLot is not null', false],
    ["FLot = ''", false],
    ['', true],
    ['1=1', true],
  ])('%s → %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  it('lists the fields a filter reads', () => {
    expect(filterFields(parseFilter("FBillNo='x' and (FMaterialID.FNumber in ('a','b') or FQty>1)"))).toEqual(['FBillNo', 'FMaterialID.FNumber', 'FQty']);
  });

  it.each(["FBillNo='x", 'FBillNo =', "FBillNo = 'x' and", "(FBillNo='x'", 'FBillNo ~ 1', "FBillNo not = 'x'"])('rejects %s', (filter) => {
    expect(() => parseFilter(filter)).toThrow(FilterSyntaxError);
  });

  it('compares numbers numerically, text case-insensitively and nulls as unknown', () => {
    expect(compareCells(10, '9')).toBe(1);
    expect(compareCells('b', 'A')).toBe(1);
    expect(compareCells(null, 'x')).toBeUndefined();
  });
});
